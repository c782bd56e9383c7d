/**
 * Fault injection on the client-server API: {@code hs.faults().on("PUT", "/rooms/{roomId}/send/*").respond(500)}.
 * Making the appservice look down and advancing the retry clock come with the transaction pusher.
 */
package dev.fakehomeserver.faults;
