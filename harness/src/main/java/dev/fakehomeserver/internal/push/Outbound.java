package dev.fakehomeserver.internal.push;

import dev.fakehomeserver.journal.RecordedTransaction;
import java.util.List;

/**
 * One request to an appservice, before it is sent.
 *
 * @param path the percent-encoded path under the appservice's url, e.g. {@code /_matrix/app/v1/users/%40a%3Atest}
 * @param query extra query parameters, already encoded, or an empty string
 * @param body the JSON body, or null for none
 * @param legacyQueryAuth whether this kind of request may carry {@code ?access_token=} (ping never does)
 */
record Outbound(RecordedTransaction.Kind kind, String method, String path, String query, byte[] body,
                boolean legacyQueryAuth, String txnId, int attempt, List<String> eventIds) {

    static Outbound get(RecordedTransaction.Kind kind, String path, String query) {
        return new Outbound(kind, "GET", path, query, null, true, null, 1, List.of());
    }

    /** Python's {@code urllib.parse.quote} with its default safe {@code /}: what Synapse puts in paths. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '-' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** Form-encodes one query value. */
    static String form(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
