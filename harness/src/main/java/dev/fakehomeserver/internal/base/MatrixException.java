package dev.fakehomeserver.internal.base;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Matrix error answer ({@code {"errcode", "error", ...}}) thrown from anywhere in request handling.
 *
 * <p>{@code InboundRequest.fail} (the request pipeline) is the one place that turns it into a response; anything
 * else thrown becomes a 500 {@code M_UNKNOWN}, which is always a bug in the fake.
 */
public final class MatrixException extends RuntimeException {
    private final int status;
    private final String errcode;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public MatrixException(int status, String errcode, String error) {
        super(error, null, false, false);
        this.status = status;
        this.errcode = errcode;
    }

    public int status() { return status; }
    public String errcode() { return errcode; }
    public String error() { return getMessage(); }
    public Map<String, Object> extra() { return extra; }
    public Map<String, String> headers() { return headers; }

    public MatrixException with(String key, Object value) {
        extra.put(key, value);
        return this;
    }

    public MatrixException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The JSON body of this error: errcode first, then error, then any extra keys. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (errcode != null) {
            body.put("errcode", errcode);
        }
        body.put("error", getMessage());
        body.putAll(extra);
        return body;
    }

    public static MatrixException forbidden(String msg) { return new MatrixException(403, "M_FORBIDDEN", msg); }
    public static MatrixException forbidden400(String msg) { return new MatrixException(400, "M_FORBIDDEN", msg); }
    public static MatrixException missingToken(String msg) { return new MatrixException(401, "M_MISSING_TOKEN", msg); }
    public static MatrixException unknownToken(String msg) {
        return new MatrixException(401, "M_UNKNOWN_TOKEN", msg).with("soft_logout", false);
    }
    public static MatrixException notJson(String msg) { return new MatrixException(400, "M_NOT_JSON", msg); }
    public static MatrixException badJson(String msg) { return new MatrixException(400, "M_BAD_JSON", msg); }
    public static MatrixException unrecognized() {
        return new MatrixException(404, "M_UNRECOGNIZED", "Unrecognized request");
    }
    public static MatrixException methodNotAllowed() {
        return new MatrixException(405, "M_UNRECOGNIZED", "Unrecognized request");
    }
    public static MatrixException notFound(String msg) { return new MatrixException(404, "M_NOT_FOUND", msg); }
    public static MatrixException exclusive(String msg) { return new MatrixException(400, "M_EXCLUSIVE", msg); }
    public static MatrixException userInUse() { return new MatrixException(400, "M_USER_IN_USE", "User ID already taken."); }
    public static MatrixException invalidUsername(String msg) {
        return new MatrixException(400, "M_INVALID_USERNAME", msg);
    }
    public static MatrixException invalidParam(String msg) { return new MatrixException(400, "M_INVALID_PARAM", msg); }
    public static MatrixException missingParam(String msg) { return new MatrixException(400, "M_MISSING_PARAM", msg); }
    public static MatrixException unknown(int status, String msg) { return new MatrixException(status, "M_UNKNOWN", msg); }
    public static MatrixException tooLarge(String msg) { return new MatrixException(413, "M_TOO_LARGE", msg); }
    public static MatrixException badState(String msg) { return new MatrixException(403, "M_BAD_STATE", msg); }
    public static MatrixException roomInUse(String msg) { return new MatrixException(400, "M_ROOM_IN_USE", msg); }
    public static MatrixException limitExceeded(long retryAfterMs) {
        long seconds = Math.max(1, (retryAfterMs + 999) / 1000);
        return new MatrixException(429, "M_LIMIT_EXCEEDED", "Too Many Requests")
                .with("retry_after_ms", retryAfterMs)
                .header("Retry-After", Long.toString(seconds));
    }
}
