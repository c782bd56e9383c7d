package dev.fakehomeserver.assertj;

import dev.fakehomeserver.view.UserView;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one user (the {@code actual} value is the user id).
 *
 * <pre>{@code
 * assertThat(hs).eventually().user("@weather_paris:test")
 *         .isRegistered()
 *         .hasDisplayName("Weather Paris")
 *         .belongsToAppservice("weather");
 * }</pre>
 */
public final class UserAssert extends AbstractAssert<UserAssert, String> {
    private final Probe probe;

    UserAssert(Probe probe, String userId) {
        super(userId, UserAssert.class);
        this.probe = probe;
    }

    /** Waits up to the server's default for each following assertion. */
    public UserAssert eventually() {
        return eventually(probe.hs.defaultWait());
    }

    /** Waits up to {@code timeout} for each following assertion. */
    public UserAssert eventually(Duration timeout) {
        return new UserAssert(probe.waiting(timeout), actual);
    }

    /** The user is a local user the fake knows (registered by an appservice, over HTTP, or by a test). */
    public UserAssert isRegistered() {
        return check(u -> u.remote()
                ? "Expecting user " + actual + " to be registered\nbut it is a remote user.\n" + seen() : null);
    }

    /** The display name is this. */
    public UserAssert hasDisplayName(String name) {
        return check(u -> name.equals(u.displayName()) ? null
                : "Expecting user " + actual + " to have display name \"" + name + "\"\nbut it is "
                + (u.displayName() == null ? "not set" : "\"" + u.displayName() + "\"") + ".\n" + seen());
    }

    /** The avatar url is this. */
    public UserAssert hasAvatarUrl(String mxcUrl) {
        return check(u -> mxcUrl.equals(u.avatarUrl()) ? null
                : "Expecting user " + actual + " to have avatar " + mxcUrl + "\nbut it is "
                + (u.avatarUrl() == null ? "not set" : u.avatarUrl()) + ".\n" + seen());
    }

    /** The user lives in this appservice's exclusive namespace. */
    public UserAssert belongsToAppservice(String appserviceId) {
        return check(u -> appserviceId.equals(u.appserviceId()) ? null
                : "Expecting user " + actual + " to belong to appservice " + appserviceId + "\nbut it belongs to "
                + (u.appserviceId() == null ? "none" : u.appserviceId()) + ".\n" + seen());
    }

    private String seen() {
        return "What the fake saw:\n" + probe.journalOf(Probe.setOf(actual), Probe.setOf(probe.owner(actual)));
    }

    private UserAssert check(Function<UserView, String> onUser) {
        String failure = probe.run(() -> {
            Optional<UserView> u = probe.hs.findUser(actual);
            if (u.isEmpty()) {
                return "Expecting user " + actual + " to be registered\nbut the fake does not know it.\n"
                        + "What the fake saw:\n" + Probe.list("Users", probe.hs.users().stream()
                        .map(Objects::toString).toList()) + "\n" + probe.journalAll();
            }
            return onUser.apply(u.get());
        });
        if (failure != null) {
            failWithMessage("%s", failure);
        }
        return this;
    }
}
