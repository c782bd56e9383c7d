/**
 * Fault injection on the client-server API: {@code hs.faults().on("PUT", "/rooms/{roomId}/send/*").respond(500)}.
 * The other way, {@code hs.faults().appservice("weather").markDown()} or {@code .failTransactions(2)} makes the
 * homeserver see an appservice as unreachable, with the pusher's usual down state, retries and backoff.
 */
package dev.fakehomeserver.faults;
