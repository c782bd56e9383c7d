package dev.fakehomeserver.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.CoreAccess;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.http.Route;
import dev.fakehomeserver.internal.model.RoomService;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.User;
import java.util.Map;

/**
 * A small populated world for the route-wide tests (auth matrix, fuzzing): the {@code weather} appservice
 * (exclusive {@code @weather_.*:test}, sender {@code @weatherbot:test}), an ordinary user {@code @alice:test}
 * with a token, a registered ghost {@code @weather_ghost:test}, one public room all three joined, with the alias
 * {@code #weather_room:test} and one message, and a media item. Built through the model's services, so a
 * {@link Homeserver#reset()} and a rebuild take microseconds, not HTTP round trips.
 *
 * <pre>{@code
 * SampleWorld w = SampleWorld.build(hs);
 * client.get(w.path(route)).token(w.userToken).send();
 * }</pre>
 */
public final class SampleWorld {
    public static final String ALICE = "@alice:test";
    public static final String GHOST = "@weather_ghost:test";
    /** In the namespace, never registered: identity assertion refuses it. */
    public static final String UNREGISTERED_GHOST = "@weather_nobody:test";
    public static final String SENDER = "@weatherbot:test";
    public static final String ALIAS = "#weather_room:test";

    public final String userToken;
    public final String aliceDevice;
    public final String roomId;
    public final String eventId;
    public final String mediaId;
    private final Map<String, String> samples;

    private SampleWorld(Services s) {
        User alice = s.accounts().registerOrdinary("alice", null, null);
        var session = s.accounts().login(alice, "ALICEDEV", null);
        this.userToken = session.accessToken();
        this.aliceDevice = session.deviceId();
        s.accounts().registerForAppservice(s.model().appservice("weather"), "weather_ghost", true);
        Requester a = new Requester(ALICE, aliceDevice, null);
        this.roomId = s.rooms().createRoom(a, new RoomService.CreateRoom("public_chat", null, "sample", null, null,
                null, null, false, null, null, null));
        s.rooms().join(new Requester(GHOST, null, null), roomId);
        s.rooms().join(new Requester(SENDER, null, null), roomId);
        synchronized (s.model()) {
            s.directory().create(new Requester(SENDER, null, null), ALIAS, roomId);
        }
        ObjectNode content = Json.object().put("msgtype", "m.text").put("body", "hello");
        this.eventId = s.rooms().send(a, roomId, "m.room.message", null, "seed-1", content, null);
        this.mediaId = s.model().media().upload(ALICE, new byte[] {1, 2, 3}, "application/octet-stream", "f.bin",
                s.options().maxMediaBytes())
                .mediaId();
        this.samples = Map.ofEntries(Map.entry("roomId", roomId), Map.entry("roomIdOrAlias", roomId),
                Map.entry("roomAlias", ALIAS), Map.entry("userId", ALICE), Map.entry("eventType", "m.room.message"),
                Map.entry("stateKey", ""), Map.entry("txnId", "t1"), Map.entry("eventId", eventId),
                Map.entry("deviceId", aliceDevice), Map.entry("networkId", "net1"),
                Map.entry("appserviceId", "weather"), Map.entry("protocol", "irc"),
                Map.entry("receiptType", "m.read"), Map.entry("serverName", "test"), Map.entry("mediaId", mediaId),
                Map.entry("fileName", "f.bin"), Map.entry("type", "m.sample"),
                Map.entry("scope", "global"), Map.entry("kind", "override"), Map.entry("ruleId", ".m.rule.master"),
                Map.entry("attr", "enabled"), Map.entry("rest", ""));
    }

    /** The {@code weather} registration this world expects, pointing at {@code url}. */
    public static Registration weather(String url) {
        return TestRegistrations.weatherBuilder().url(url).rateLimited(false).build();
    }

    /** Populates a fresh (or just reset) homeserver that has the {@link #weather} registration. */
    public static SampleWorld build(Homeserver hs) {
        return new SampleWorld(CoreAccess.core(hs).services());
    }

    /** The sample value of a path parameter. */
    public String sample(String param) {
        return samples.getOrDefault(param, "x");
    }

    /** The route's template with sample values for its parameters, each percent-encoded. */
    public String path(Route route) {
        StringBuilder sb = new StringBuilder();
        for (String seg : route.segments()) {
            sb.append('/');
            if (seg.startsWith("{") && seg.endsWith("}")) {
                sb.append(TestClient.enc(sample(seg.substring(1, seg.length() - 1))));
            } else {
                sb.append(seg);
            }
        }
        return sb.toString();
    }
}
