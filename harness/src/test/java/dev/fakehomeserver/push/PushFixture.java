package dev.fakehomeserver.push;

import static org.awaitility.Awaitility.await;

import dev.fakehomeserver.testing.TestRegistrations;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.CoreAccess;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.model.RoomService;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.testing.ScriptedAppservice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A homeserver on a virtual clock with one scripted appservice "weather" (users {@code @weather_.*:test},
 * aliases {@code #weather_.*:test}, sender {@code @weatherbot:test}), and helpers that inject through the
 * model's services, the one append path.
 */
final class PushFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    final VirtualClock clock = new VirtualClock(Instant.parse("2030-01-01T00:00:00Z"));
    final ScriptedAppservice as = ScriptedAppservice.start();
    final Registration reg;
    final Homeserver hs;
    final Services s;

    PushFixture() {
        this(b -> b, h -> h);
    }

    PushFixture(UnaryOperator<Registration.Builder> registration, UnaryOperator<HomeserverBuilder> server) {
        reg = registration.apply(TestRegistrations.weatherBuilder().url(as.url())).build();
        hs = server.apply(Homeserver.builder().registration(reg).clock(clock)).start();
        s = CoreAccess.core(hs).services();
    }

    String ghost(String localpart) {
        return s.accounts().registerForAppservice(CoreAccess.core(hs).model().appservice("weather"), localpart, true)
                .userId();
    }

    String user(String localpart) {
        return s.accounts().registerOrdinary(localpart, "pw", null).userId();
    }

    String room(String creator) {
        return s.rooms().createRoom(who(creator), new RoomService.CreateRoom("public_chat", null, null, null, null,
                null, null, false, null, null, null));
    }

    String send(String sender, String roomId, String body) {
        ObjectNode content = Json.object().put("msgtype", "m.text").put("body", body);
        return s.rooms().send(who(sender), roomId, "m.room.message", null, "t-" + System.nanoTime(), content, null);
    }

    void join(String userId, String roomId) {
        s.rooms().join(who(userId), roomId);
    }

    void invite(String inviter, String invitee, String roomId) {
        s.rooms().appendMembership(roomId, inviter, invitee, s.rooms().memberContent(invitee, "invite", null));
    }

    void leave(String userId, String roomId) {
        s.rooms().appendMembership(roomId, userId, userId, s.rooms().memberContent(userId, "leave", null));
    }

    static Requester who(String userId) {
        return new Requester(userId, null, null);
    }

    /** The transaction records (every attempt) the homeserver journaled for "weather". */
    List<RecordedTransaction> pushes() {
        return hs.transactions().of("weather", RecordedTransaction.Kind.TRANSACTION);
    }

    /** Waits until the appservice received {@code n} transaction requests. */
    List<ScriptedAppservice.Req> awaitTransactions(int n) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> as.transactions().size() >= n);
        return as.transactions();
    }

    /** Waits until the homeserver journaled {@code n} transaction attempts (the answer is then processed). */
    List<RecordedTransaction> awaitPushes(int n) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> pushes().size() >= n);
        return pushes();
    }

    /** Waits until nothing is queued or in flight for "weather" and it is up. */
    void awaitIdle() {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
            AppserviceStatus st = hs.appserviceStatus("weather");
            return !st.down() && !st.inFlight() && st.queuedEvents() == 0 && st.queuedEphemeral() == 0
                    && st.queuedTransactions() == 0;
        });
    }

    /** Waits until "weather" is down with a retry scheduled (the failed answer has been processed). */
    AppserviceStatus awaitRetryScheduled() {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
            AppserviceStatus st = hs.appserviceStatus("weather");
            return st.down() && !st.inFlight() && st.nextRetry() != null;
        });
        return hs.appserviceStatus("weather");
    }

    /** Every event id the appservice received, in arrival order, over all transactions (retries included). */
    List<String> receivedEventIds() {
        return as.transactions().stream().flatMap(r -> r.eventIds().stream()).collect(Collectors.toList());
    }

    @Override
    public void close() {
        hs.close();
        as.close();
    }
}
