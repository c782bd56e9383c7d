package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.InboundRequest;
import dev.fakehomeserver.internal.http.Step;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The first step of the control API (and so of the web console, one of its faces): refuses what only a web page
 * of another site, or a careless script, sends, before the body is read or the token looked at. Scripts, curl
 * and the console's own pages are unaffected once they label their bodies.
 *
 * <ol>
 *   <li>{@code Host}: an IP address, {@code localhost}, or the address the server is bound
 *       to. Any other name is how DNS rebinding reaches a server on loopback from a page that then reads the
 *       answers as its own origin: 403 {@code M_FORBIDDEN}. Other names pass only where they can be legitimate
 *       and harmless: a server bound to a non-loopback address (reached by its machine's name) that requires a
 *       control token (a page cannot know it).</li>
 *   <li>{@code Origin} other than this server (including {@code null}), or {@code Sec-Fetch-Site: cross-site} on
 *       a state change: a page of another site. 403 {@code M_FORBIDDEN}, token or not.</li>
 *   <li>More than one {@code Authorization} header: 401 {@code M_MISSING_TOKEN} "Too many Authorization
 *       headers.", as the client API answers (Synapse's words).</li>
 *   <li>A body not labelled JSON (or YAML, which registrations are written in): 415 {@code M_NOT_JSON}. The
 *       three types a page may send to another origin without asking first ({@code text/plain}, form
 *       encodings) are among the refused, which is what makes a forged "simple" request fail; curl's
 *       {@code -d} sends a form encoding too, so scripts say {@code -H 'Content-Type: application/json'}.</li>
 * </ol>
 */
final class ControlRequestGuard implements Step {
    private static final Set<String> BODY_TYPES = Set.of("application/json", "application/yaml",
            "application/x-yaml", "text/yaml", "text/x-yaml");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final String boundHost;
    private final boolean namesAllowed;

    /**
     * @param boundHost the address the server listens on ({@code 127.0.0.1}, {@code 0.0.0.0}, {@code ::1}...)
     * @param tokenRequired whether every protected route needs the control token
     */
    ControlRequestGuard(String boundHost, boolean tokenRequired) {
        this.boundHost = stripBrackets(boundHost.toLowerCase(Locale.ROOT));
        this.namesAllowed = tokenRequired && !isLoopback(this.boundHost);
    }

    /** Whether an address or name only this machine reaches. */
    static boolean isLoopback(String host) {
        String h = stripBrackets(host.toLowerCase(Locale.ROOT));
        return h.equals("localhost") || h.equals("::1") || h.startsWith("127.") && IPV4.matcher(h).matches();
    }

    @Override
    public void handle(InboundRequest req, Next next) {
        HeaderMap headers = req.http().getRequestHeaders();
        String host = headers.getFirst(Headers.HOST);
        if (host != null && !hostAllowed(hostName(host))) {
            throw MatrixException.forbidden("The control API answers requests addressed to this machine by "
                    + "address or as localhost, not Host '" + host + "': a page of another site can reach a "
                    + "local server under its own name (DNS rebinding). Use http://127.0.0.1, or give the server "
                    + "a control token");
        }
        String origin = headers.getFirst(Headers.ORIGIN);
        if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            throw MatrixException.forbidden("The control API refuses requests from another site's page (Origin "
                    + origin + ")");
        }
        String method = req.method();
        boolean change = !method.equals("GET") && !method.equals("HEAD");
        if (change && "cross-site".equals(headers.getFirst("Sec-Fetch-Site"))) {
            throw MatrixException.forbidden("The control API refuses state changes requested by another site's "
                    + "page (Sec-Fetch-Site: cross-site)");
        }
        if (headers.count(Headers.AUTHORIZATION) > 1) {
            throw MatrixException.missingToken("Too many Authorization headers.");
        }
        if (hasBody(headers) && !BODY_TYPES.contains(mediaType(headers.getFirst(Headers.CONTENT_TYPE)))) {
            String given = headers.getFirst(Headers.CONTENT_TYPE);
            throw new MatrixException(415, "M_NOT_JSON", "The control API reads JSON (YAML for a registration): "
                    + "send 'Content-Type: application/json', not " + (given == null ? "no Content-Type"
                    : "'" + given + "'"));
        }
        next.proceed(req);
    }

    private boolean hostAllowed(String name) {
        return namesAllowed || isLoopback(name) || name.equals(boundHost) || IPV4.matcher(name).matches()
                || name.contains(":");
    }

    /** {@code example.org:8008} to {@code example.org}, {@code [::1]:8008} to {@code ::1}. */
    private static String hostName(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.lastIndexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static boolean hasBody(HeaderMap headers) {
        String length = headers.getFirst(Headers.CONTENT_LENGTH);
        return headers.contains(Headers.TRANSFER_ENCODING) || length != null && !length.trim().equals("0");
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
