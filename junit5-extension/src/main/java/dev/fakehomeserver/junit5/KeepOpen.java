package dev.fakehomeserver.junit5;

import dev.fakehomeserver.Homeserver;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * {@code keepOpenOnFailure}: when a test fails, its fake stays up for the configured time so that a person can
 * look at it in the web console, and the failure message carries a one-time console link (valid as long as the
 * fake stays up). The link goes to stderr at once, since the failure itself is reported only after the wait.
 * In process the console needs the control API: {@link Homeserver#consoleUrl(Duration)} turns it on, with a
 * random token nobody is told, so the link is the only way in.
 */
final class KeepOpen {
    static final String PARAMETER = "fakehomeserver.keepOpenOnFailure";

    private KeepOpen() {}

    /** Waits, when configured, and returns the failure to throw (with the console link when it waited). */
    static Throwable onFailure(ExtensionContext ctx, Homeserver hs, Throwable failure) {
        Duration keep = duration(ctx);
        if (keep.isZero() || hs == null) {
            return failure;
        }
        String link = hs.consoleUrl(keep);
        String note = "fake-homeserver: " + ctx.getDisplayName() + " failed; its fake stays open for "
                + human(keep) + ": look at it in the console " + link;
        System.err.println(note);
        System.err.flush();
        try {
            // Nothing ends this early but an interrupt (Ctrl-C ends the run): the time is the person's.
            new CountDownLatch(1).await(keep.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        AssertionError withLink = new AssertionError(failure.getMessage() + "\n" + note.replace(" stays open", " stayed open"),
                failure);
        withLink.setStackTrace(failure.getStackTrace());
        return withLink;
    }

    static Duration duration(ExtensionContext ctx) {
        Optional<String> value = Optional.empty();
        for (Class<?> c = ctx.getTestClass().orElse(null); c != null && value.isEmpty(); c = c.getEnclosingClass()) {
            value = AnnotationSupport.findAnnotation(c, FakeHomeserverConfig.class)
                    .map(FakeHomeserverConfig::keepOpenOnFailure).filter(s -> !s.isBlank());
        }
        return value.or(() -> ctx.getConfigurationParameter(PARAMETER)).map(KeepOpen::parse).orElse(Duration.ZERO);
    }

    /** {@code 5m}, {@code 90s}, {@code 1h}, {@code 0} or ISO-8601 ({@code PT5M}). */
    static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return positive(Duration.parse(v.toUpperCase(Locale.ROOT)), value);
            }
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return positive(switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            }, value);
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new ExtensionConfigurationException("keepOpenOnFailure=" + value + " is not a duration: write"
                    + " 90s, 5m, 1h, 0 (off) or PT5M");
        }
    }

    private static Duration positive(Duration d, String value) {
        if (d.isNegative()) {
            throw new ExtensionConfigurationException("keepOpenOnFailure=" + value + " is negative");
        }
        return d;
    }

    private static String human(Duration d) {
        return d.toSeconds() % 60 == 0 && d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
