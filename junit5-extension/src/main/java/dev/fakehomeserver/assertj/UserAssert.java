package dev.fakehomeserver.assertj;

import dev.fakehomeserver.expect.WhatTheFakeSaw;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.UserView;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Assertions on one user. The {@code actual} value is the user's snapshot when the assertion was made (null when
 * the fake did not know the user yet); every assertion method reads the live user, and {@link #isNotNull()} means
 * the fake knows it. When the user belongs to an appservice (or would, by its exclusive namespace), a failure also
 * shows that appservice's section: push state, last transactions and their answers, the last event it had to see.
 *
 * <pre>{@code
 * assertThat(hs).eventually().user("@weather_paris:test")
 *         .isRegistered()
 *         .hasDisplayName("Weather Paris")
 *         .belongsToAppservice("weather");
 * }</pre>
 */
public final class UserAssert extends AbstractProbeAssert<UserAssert, UserView> {
    private final String userId;

    UserAssert(Probe probe, String userId) {
        super(probe, probe.hs.findUser(userId).orElse(null), UserAssert.class);
        this.userId = userId;
    }

    @Override
    UserAssert with(Probe p) {
        return new UserAssert(p, userId);
    }

    /** The fake knows the user, local or remote. */
    @Override
    public UserAssert isNotNull() {
        return onUser(u -> null);
    }

    /** The user is a local user the fake knows (registered by an appservice, over HTTP, or by a test). */
    public UserAssert isRegistered() {
        return onUser(u -> u.remote()
                ? "Expecting user " + userId + " to be registered\nbut it is a remote user.\n" + seen() : null);
    }

    /** The fake does not know the user: nobody registered it, and no test or event created it. */
    public UserAssert isNotRegistered() {
        return check(() -> probe.hs.findUser(userId).map(u -> "Expecting user " + userId + " not to be registered\n"
                + "but the fake knows it: " + u + ".\n" + seen()).orElse(null));
    }

    /** The display name is this. */
    public UserAssert hasDisplayName(String name) {
        return onUser(u -> name.equals(u.displayName()) ? null
                : "Expecting user " + userId + " to have display name \"" + name + "\"\nbut it is "
                + (u.displayName() == null ? "not set" : "\"" + u.displayName() + "\"") + ".\n" + seen());
    }

    /** The avatar url is this. */
    public UserAssert hasAvatarUrl(String mxcUrl) {
        return onUser(u -> mxcUrl.equals(u.avatarUrl()) ? null
                : "Expecting user " + userId + " to have avatar " + mxcUrl + "\nbut it is "
                + (u.avatarUrl() == null ? "not set" : u.avatarUrl()) + ".\n" + seen());
    }

    /** The user lives in this appservice's exclusive namespace. */
    public UserAssert belongsToAppservice(String appserviceId) {
        return onUser(u -> appserviceId.equals(u.appserviceId()) ? null
                : "Expecting user " + userId + " to belong to appservice " + appserviceId + "\nbut it belongs to "
                + (u.appserviceId() == null ? "none" : u.appserviceId()) + ".\n" + seen());
    }

    private String seen() {
        return "What the fake saw:\n" + seen.journalOfUser(userId) + appserviceSection();
    }

    /** The appservice section, with the newest event of any room not sent by the appservice as the one to see. */
    private String appserviceSection() {
        String owner = seen.owner(userId);
        if (owner == null) {
            return "";
        }
        EventView last = probe.hs.rooms().stream().map(r -> seen.lastEventNotFromOwnerOf(r, userId))
                .filter(Objects::nonNull).max(Comparator.comparingLong(EventView::streamPosition)).orElse(null);
        return seen.appserviceSectionFor(userId, last);
    }

    private UserAssert onUser(Function<UserView, String> onUser) {
        return check(() -> {
            Optional<UserView> u = probe.hs.findUser(userId);
            if (u.isEmpty()) {
                return "Expecting user " + userId + " to be registered\nbut the fake does not know it.\n"
                        + "What the fake saw:\n" + WhatTheFakeSaw.list("Users", probe.hs.users().stream()
                        .map(Objects::toString).toList()) + "\n" + seen.journalAll() + appserviceSection();
            }
            return onUser.apply(u.get());
        });
    }
}
