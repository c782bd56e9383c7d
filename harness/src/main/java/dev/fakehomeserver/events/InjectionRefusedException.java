package dev.fakehomeserver.events;

/**
 * The fake refused an injected event for the reason it would have refused the same HTTP request: the sender is not
 * in the room, lacks the power level, the alias is taken...
 *
 * <pre>{@code
 * assertThatThrownBy(() -> hs.user("@eve:test").send(room, "hi"))
 *         .isInstanceOf(InjectionRefusedException.class)
 *         .hasFieldOrPropertyWithValue("errcode", "M_FORBIDDEN");
 * }</pre>
 */
public final class InjectionRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String errcode;
    private final String error;

    /**
     * Creates the exception; {@code message} is the text the HTTP API would have answered ({@link #getError()}),
     * and {@link #getMessage()} puts the errcode and status in front of it.
     */
    public InjectionRefusedException(int status, String errcode, String message) {
        super(errcode + " (" + status + "): " + message);
        this.status = status;
        this.errcode = errcode;
        this.error = message;
    }

    /** The text the HTTP API would have answered as {@code error}, without errcode and status. */
    public String getError() {
        return error;
    }

    /** The HTTP status the same request would have got, such as 403. */
    public int getStatus() {
        return status;
    }

    /** The Matrix errcode, such as {@code M_FORBIDDEN}. */
    public String getErrcode() {
        return errcode;
    }
}
