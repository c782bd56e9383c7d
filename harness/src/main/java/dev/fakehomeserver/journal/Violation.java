package dev.fakehomeserver.journal;

/**
 * A request the fake refused (status 400 or more): the appservice broke a rule of the homeserver, such as
 * {@code M_EXCLUSIVE}, {@code M_FORBIDDEN}, {@code M_UNKNOWN_TOKEN}, {@code M_NOT_JSON}, a 404 or a 405. Derived
 * from the journal; failures injected with {@code hs.faults()} are not violations.
 *
 * <pre>{@code
 * assertThat(hs.violations()).extracting(Violation::errcode).containsExactly("M_EXCLUSIVE");
 * hs.allowViolation("M_NOT_FOUND");           // with the JUnit extension: this test may cause 404s
 * }</pre>
 *
 * @param request the journal entry of the refused request
 */
public record Violation(RecordedRequest request) {
    /**
     * Marks the error text of failures injected by {@code hs.faults()} or the control API's faults, which are not
     * violations; plain words, since the standalone's log shows it to people who never write Java.
     */
    public static final String INJECTED_MARKER = "[injected fault]";

    /**
     * Marks the error text of the {@code 502} answered while the hosting platform restarts the homeserver
     * ({@code hs.dashboard()}), which the test caused and which is no violation either.
     */
    public static final String RESTART_MARKER = "[platform restart]";

    /** Whether this journal entry is a violation: refused, and not by an injected fault or the platform's restart. */
    public static boolean isViolation(RecordedRequest r) {
        return r.refused() && (r.error() == null
                || !(r.error().endsWith(INJECTED_MARKER) || r.error().endsWith(RESTART_MARKER)));
    }

    /** The HTTP status, such as 403. */
    public int status() {
        return request.status();
    }

    /** The errcode, such as {@code M_FORBIDDEN}. */
    public String errcode() {
        return request.errcode();
    }

    /** The error text answered. */
    public String error() {
        return request.error();
    }

    /** The method and path, such as {@code PUT /rooms/!a:test/send/m.room.message/t1}. */
    public String what() {
        return request.method() + " " + request.shortPath();
    }

    /** Who made it: the appservice id, the user id, or {@code anonymous}. */
    public String who() {
        if (request.appserviceId() != null) {
            return request.appserviceId() + (request.userId() == null ? "" : " as " + request.userId());
        }
        return request.userId() == null ? "anonymous" : request.userId();
    }

    /** One line: {@code #3 PUT /rooms/!a:test/send/... (weather as @weather_bob:test) -> 403 M_FORBIDDEN: ...}. */
    @Override
    public String toString() {
        return "#" + request.seq() + " " + what() + " (" + who() + ") -> " + status()
                + (errcode() == null ? "" : " " + errcode()) + (error() == null ? "" : ": " + error());
    }
}
