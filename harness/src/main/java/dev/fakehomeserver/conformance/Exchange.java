package dev.fakehomeserver.conformance;

import java.time.Duration;

/**
 * One request sent to the appservice during a conformance run, with what came back. Tokens never appear: the
 * {@code auth} field says how the hs_token was presented, and a query token is shown as {@code <redacted>}.
 *
 * <pre>{@code
 * for (Exchange x : result.exchanges()) {
 *     System.out.println(x);   // PUT /_matrix/app/v1/transactions/conformance-3 [no token] -> 401 {"errcode":...}
 * }
 * }</pre>
 *
 * @param sender {@code kit} when the kit's own sender sent it (something a homeserver would never send, or
 *               sends only in circumstances a test cannot provoke), {@code homeserver} when the fake's pusher did
 * @param method the HTTP method
 * @param target the path and query as sent, the query token redacted
 * @param auth how the hs_token was presented: {@code header}, {@code query}, {@code header+query},
 *             {@code no token}, {@code wrong token in header}
 * @param requestBody the body sent, cut to a few hundred characters, or an empty string
 * @param status the status answered, or 0 when nothing came back (refused connection, timeout)
 * @param responseBody the body answered, cut to a few hundred characters, or an empty string
 * @param latency how long the answer took
 * @param error why no answer came, or null
 */
public record Exchange(String sender, String method, String target, String auth, String requestBody, int status,
                       String responseBody, Duration latency, String error) {

    /** One line: method, target, auth, status and the start of the answer. */
    @Override
    public String toString() {
        return method + " " + target + " [" + auth + "] -> "
                + (status == 0 ? "no answer (" + error + ")" : status + " " + responseBody);
    }
}
