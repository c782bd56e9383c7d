/**
 * The injection DSL: act as users ({@code hs.user("@alice:test")}) to create rooms, join and send events through
 * the server's one append path, and seed scenarios from YAML ({@code hs.seed(path)}).
 */
package dev.fakehomeserver.events;
