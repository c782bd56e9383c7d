package dev.fakehomeserver;

/**
 * A registration that Synapse would refuse at startup, or a set of registrations that cannot live together.
 *
 * <p>The message names the source, the field and the line, so a test failure points straight at the YAML:
 *
 * <pre>{@code
 * try {
 *     Registration.fromPath(Path.of("weather.yaml"));
 * } catch (RegistrationException e) {
 *     // weather.yaml: namespaces.users[0].exclusive (line 9): must be true or false, got the string "true"
 *     e.source();   // "weather.yaml"
 *     e.field();    // "namespaces.users[0].exclusive"
 *     e.line();     // 9
 * }
 * }</pre>
 *
 * <p>It extends {@link IllegalArgumentException} because a bad registration is a bad argument to the harness, and
 * callers that do not care about the details need not catch anything specific.
 */
public class RegistrationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String field;
    private final int line;

    /**
     * An exception with a ready-made message.
     *
     * @param message the full message
     * @param source the file path, classpath resource or name the registration came from
     * @param field the offending field, such as {@code namespaces.users[0].exclusive}; empty if none
     * @param line the 1-based line in the source, or 0 if unknown
     * @param cause the underlying error, or {@code null}
     */
    public RegistrationException(String message, String source, String field, int line, Throwable cause) {
        super(message, cause);
        this.source = source;
        this.field = field == null ? "" : field;
        this.line = line;
    }

    /**
     * An exception whose message reads {@code <source>: <field> (line <n>): <problem>}; the field and the line are
     * left out of the message when empty or 0.
     */
    public static RegistrationException at(String source, String field, int line, String problem) {
        return at(source, field, line, problem, null);
    }

    /** Like {@link #at(String, String, int, String)}, keeping the underlying error as the cause. */
    public static RegistrationException at(String source, String field, int line, String problem, Throwable cause) {
        StringBuilder m = new StringBuilder(source);
        if (field != null && !field.isEmpty()) {
            m.append(": ").append(field);
        }
        if (line > 0) {
            m.append(" (line ").append(line).append(')');
        }
        m.append(": ").append(problem);
        return new RegistrationException(m.toString(), source, field, line, cause);
    }

    /** Where the registration came from: a file path, {@code classpath:<resource>}, or the name given. */
    public String source() {
        return source;
    }

    /** The offending field as a path, such as {@code namespaces.users[0].exclusive}; empty if not about one field. */
    public String field() {
        return field;
    }

    /** The 1-based line of the offending value, or 0 if unknown (for example for registrations built in code). */
    public int line() {
        return line;
    }
}
