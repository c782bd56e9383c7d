package dev.fakehomeserver.internal.http.client;

import dev.fakehomeserver.internal.base.MatrixException;

/**
 * Synapse's parsing of ids named in a path ({@code synapse.types.DomainSpecificString.from_string}): the sigil,
 * then a colon somewhere after it. Looser than the grammar (an empty localpart or server passes), as Synapse is;
 * what fails answers 400 {@code M_INVALID_PARAM} with Synapse's words.
 */
final class SynapseIds {
    private SynapseIds() {}

    /** {@code UserID.from_string}: returns the id, or throws Synapse's 400. */
    static String userId(String s) {
        return parse(s, '@', "UserID");
    }

    /** {@code RoomID.is_valid}: whether {@code RoomID.from_string} would accept it. */
    static boolean isRoomId(String s) {
        return s != null && s.startsWith("!") && s.indexOf(':') > 0;
    }

    private static String parse(String s, char sigil, String kind) {
        if (s == null || s.isEmpty() || s.charAt(0) != sigil) {
            throw MatrixException.invalidParam("Expected " + kind + " string to start with '" + sigil + "'");
        }
        if (s.indexOf(':') < 0) {
            throw MatrixException.invalidParam("Expected " + kind + " of the form '" + sigil + "localname:domain'");
        }
        return s;
    }
}
