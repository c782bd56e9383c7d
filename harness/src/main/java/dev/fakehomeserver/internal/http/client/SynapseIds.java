package dev.fakehomeserver.internal.http.client;

import dev.fakehomeserver.internal.base.MatrixException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

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

    /** Synapse's {@code VALID_HOST_REGEX}: an approximation of RFC 1035's domain names. */
    private static final Pattern VALID_HOST = Pattern.compile("[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*");
    /** What Python's {@code int()} takes as a port: optional blanks and sign, digits with single underscores. */
    static final Pattern PYTHON_INT = Pattern.compile("\\s*[+-]?[0-9]+(?:_[0-9]+)*\\s*");

    /**
     * {@code UserID.is_valid}: {@code from_string} accepts it and its server name passes
     * {@code parse_and_validate_server_name} (a host matching {@code VALID_HOST_REGEX} or a bracketed IPv6
     * literal, then an optional numeric port). Synapse's profile lookups check this first (400
     * {@code M_INVALID_PARAM} "Invalid user id").
     */
    static boolean isValidUserId(String s) {
        return isValid(s, '@');
    }

    /** {@code RoomAlias.is_valid}, the same rules with {@code #}: an empty localpart passes, as in Synapse. */
    static boolean isValidAlias(String s) {
        return isValid(s, '#');
    }

    private static boolean isValid(String s, char sigil) {
        if (s == null || s.isEmpty() || s.charAt(0) != sigil || s.indexOf(':') < 0) {
            return false;
        }
        return isValidServerName(s.substring(s.indexOf(':') + 1));
    }

    /** {@code parse_and_validate_server_name} succeeds (a {@code ?server=} of the room list is checked so). */
    static boolean isValidServerName(String name) {
        return name != null && checkServerName(name);
    }

    private static boolean checkServerName(String name) {
        String host = name;
        if (!name.endsWith("]")) {
            int colon = name.lastIndexOf(':');
            if (colon >= 0) {
                if (!PYTHON_INT.matcher(name.substring(colon + 1)).matches()) {
                    return false;
                }
                host = name.substring(0, colon);
            }
        }
        if (host.startsWith("[")) {
            return host.endsWith("]") && host.length() > 2 && isIpv6(host.substring(1, host.length() - 1));
        }
        return VALID_HOST.matcher(host).matches();
    }

    /** An IPv6 literal; only hex digits, colons and dots get as far as the parser, so no name is ever looked up. */
    private static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0 || !s.chars().allMatch(ch -> ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0)) {
            return false;
        }
        try {
            // An IPv4-mapped literal parses to an Inet4Address; it is still an IPv6 literal, as Synapse says.
            return InetAddress.getByName(s) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** {@code RoomID.is_valid}: {@code from_string} accepts it and its server name is valid. */
    static boolean isRoomId(String s) {
        return isValid(s, '!');
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
