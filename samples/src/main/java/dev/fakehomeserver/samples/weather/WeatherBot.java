package dev.fakehomeserver.samples.weather;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.samples.common.AppserviceHttp;
import dev.fakehomeserver.samples.common.MatrixClient;
import dev.fakehomeserver.samples.common.MatrixClient.Answer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weather bot of the hosting platform's example: appservice {@code weather}, users {@code @weather_.*},
 * aliases {@code #weather_.*}, sender {@code weatherbot}.
 *
 * <ul>
 *   <li>{@code !weather paris} in a room makes the ghost {@code @weather_paris} (registered, named
 *       "Weather Paris") join and answer "Paris: sunny".</li>
 *   <li>It joins rooms its users are invited to.</li>
 *   <li>It answers user queries for {@code @weather_<city>} by registering the ghost, and alias queries for
 *       {@code #weather_<city>} by creating that room.</li>
 * </ul>
 *
 * <pre>{@code
 * WeatherBot bot = new WeatherBot(hs.url(), "test", asToken, hsToken, city -> "sunny");
 * hs.setAppserviceUrl("weather", bot.url());
 * }</pre>
 */
public final class WeatherBot implements AppserviceHttp.Listener, AutoCloseable {
    private static final Pattern COMMAND = Pattern.compile("^!weather\\s+([a-zA-Z]+)\\s*$");
    private final MatrixClient matrix;
    private final String serverName;
    private final String botUserId;
    private final Function<String, String> forecasts;
    private final AppserviceHttp http;
    private final AtomicLong txn = new AtomicLong();
    /** Ghosts registered, and "room user" pairs joined, so that no call is made twice. */
    private final Set<String> ghosts = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> joins = new ConcurrentHashMap<>();
    private final Pattern ghostId;
    private final Pattern ghostAlias;

    public WeatherBot(String homeserverUrl, String serverName, String asToken, String hsToken,
                      Function<String, String> forecasts) {
        this.matrix = new MatrixClient(homeserverUrl, asToken);
        this.serverName = serverName;
        this.botUserId = "@weatherbot:" + serverName;
        this.forecasts = forecasts;
        this.ghostId = Pattern.compile("^@weather_([a-z]+):" + Pattern.quote(serverName) + "$");
        this.ghostAlias = Pattern.compile("^#weather_([a-z]+):" + Pattern.quote(serverName) + "$");
        this.http = new AppserviceHttp(hsToken, this);
    }

    /** Where the homeserver should push: put it in the registration's {@code url}. */
    public String url() {
        return http.url();
    }

    @Override
    public void onEvent(JsonNode e) {
        String type = e.path("type").asText();
        String roomId = e.path("room_id").asText();
        if (type.equals("m.room.member") && e.path("content").path("membership").asText().equals("invite")) {
            String invitee = e.path("state_key").asText();
            if (isOurs(invitee)) {
                join(roomId, invitee);
            }
            return;
        }
        // The homeserver pushes our own users' messages back to us: never answer ourselves.
        if (!type.equals("m.room.message") || isOurs(e.path("sender").asText())) {
            return;
        }
        Matcher m = COMMAND.matcher(e.path("content").path("body").asText());
        if (m.matches()) {
            answer(roomId, m.group(1).toLowerCase(Locale.ROOT));
        }
    }

    private boolean isOurs(String userId) {
        return userId.equals(botUserId) || ghostId.matcher(userId).matches();
    }

    private void answer(String roomId, String city) {
        String ghost = ensureGhost(city);
        joins.computeIfAbsent(roomId + " " + ghost, key -> {
            if (joins.containsKey(roomId + " " + botUserId)) {
                // The bot is in the room (it was invited): it invites the ghost, which works in invite-only rooms.
                matrix.require("invite " + ghost, "POST", "/_matrix/client/v3/rooms/" + MatrixClient.enc(roomId)
                        + "/invite", null, Map.of("user_id", ghost));
            }
            joinNow(roomId, ghost);
            return Boolean.TRUE;
        });
        // A transaction id unique across restarts too: the homeserver answers a reused one with the old event.
        matrix.require("send", "PUT", "/_matrix/client/v3/rooms/" + MatrixClient.enc(roomId)
                        + "/send/m.room.message/weather-" + System.nanoTime() + "-" + txn.incrementAndGet(), ghost,
                Map.of("msgtype", "m.text", "body", capitalise(city) + ": " + forecasts.apply(city)));
    }

    /** Joins once: the invite the bot sends its own ghost comes back to it as an event later. */
    private void join(String roomId, String userId) {
        // computeIfAbsent makes a second thread wait until the first one's join is done: the invite push and a
        // question in the same room can arrive at once, and the answer must not be sent before the ghost is in.
        joins.computeIfAbsent(roomId + " " + userId, key -> {
            joinNow(roomId, userId);
            return Boolean.TRUE;
        });
    }

    private void joinNow(String roomId, String userId) {
        matrix.require("join", "POST", "/_matrix/client/v3/rooms/" + MatrixClient.enc(roomId) + "/join",
                userId.equals(botUserId) ? null : userId, Map.of());
    }

    /** Registers {@code @weather_<city>} once and names it; returns its user id. */
    String ensureGhost(String city) {
        String localpart = "weather_" + city;
        String userId = "@" + localpart + ":" + serverName;
        if (ghosts.contains(userId)) {
            return userId;
        }
        Answer reg = matrix.call("POST", "/_matrix/client/v3/register", null,
                Map.of("type", "m.login.application_service", "username", localpart, "inhibit_login", true));
        if (reg.ok()) {
            matrix.require("displayname", "PUT", "/_matrix/client/v3/profile/" + MatrixClient.enc(userId)
                    + "/displayname", userId, Map.of("displayname", "Weather " + capitalise(city)));
        } else if (!"M_USER_IN_USE".equals(reg.errcode())) { // registered before the bot restarted
            throw new MatrixClient.MatrixCallException("register " + userId, reg);
        }
        ghosts.add(userId);
        return userId;
    }

    @Override
    public boolean onUserQuery(String userId) {
        Matcher m = ghostId.matcher(userId);
        if (!m.matches()) {
            return false;
        }
        ensureGhost(m.group(1));
        return true;
    }

    @Override
    public boolean onAliasQuery(String alias) {
        Matcher m = ghostAlias.matcher(alias);
        if (!m.matches()) {
            return false;
        }
        String city = m.group(1);
        String ghost = ensureGhost(city);
        Answer created = matrix.call("POST", "/_matrix/client/v3/createRoom", ghost, Map.of(
                "room_alias_name", "weather_" + city, "name", "Weather in " + capitalise(city),
                "preset", "public_chat"));
        return created.ok() || "M_ROOM_IN_USE".equals(created.errcode());
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    @Override
    public void close() {
        http.close();
    }
}
