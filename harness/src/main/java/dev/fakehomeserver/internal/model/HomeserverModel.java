package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.base.TokenIndex;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The in-memory homeserver: users, rooms, aliases, sessions and appservices. One lock (this object's monitor)
 * guards all of it: simple, ordered, and fast enough for a test server. Domain operations live in small
 * services ({@link Accounts}, {@link RoomService}) that take this lock; code outside this package never takes it
 * itself but runs what must see one consistent moment in {@link #read} or {@link #write}. Lookups check that
 * the lock is held; collections leave as unmodifiable views.
 *
 * <p>Why a monitor and not a {@code ReentrantReadWriteLock}: the request path runs on one Undertow IO thread, so
 * readers rarely overlap, and services nest (a read that ends in a write, such as an alias lookup that asks the
 * appservice and then joins): a read lock cannot be upgraded to a write lock, so nesting would deadlock. A
 * reentrant monitor nests freely and costs less uncontended.
 */
public final class HomeserverModel {
    private final String serverName;
    private final LongSupplier nowMillis;
    private final Ids ids;
    private final ChangeSignal signal = new ChangeSignal();
    private final EventAppender appender;
    final Map<String, User> users = new LinkedHashMap<>();
    final Map<String, Room> rooms = new LinkedHashMap<>();
    final Map<String, String> aliases = new HashMap<>();
    private final Collection<User> usersView = java.util.Collections.unmodifiableCollection(users.values());
    private final Collection<Room> roomsView = java.util.Collections.unmodifiableCollection(rooms.values());
    private final Map<String, String> aliasesView = java.util.Collections.unmodifiableMap(aliases);
    final Map<String, Event> eventsById = new HashMap<>();
    final Map<String, java.util.Set<String>> joinedRooms = new HashMap<>();
    /** Synapse keys appservice send txns on (path, appservice) only: see spec-digest §4.9. */
    final Map<String, String> sendTxns = new HashMap<>();
    /** Who created each local alias: Synapse lets the creator delete it whatever the power levels. */
    final Map<String, String> aliasCreators = new HashMap<>();
    /** Appservice-published room lists, keyed {@code "<as id>|<network id>"} (Synapse's appservice_room_list). */
    final Map<String, java.util.Set<String>> appserviceRoomLists = new LinkedHashMap<>();
    private final TokenIndex<Session> sessions = new TokenIndex<>();
    /** Refresh tokens, each to the session it renews. */
    private final TokenIndex<Session> refreshTokens = new TokenIndex<>();
    private final TokenIndex<Session> spentRefreshTokens = new TokenIndex<>();
    private final TokenIndex<Appservice> asTokens = new TokenIndex<>();
    private final Map<String, Appservice> appservices = new LinkedHashMap<>();
    private List<Appservice> appserviceList = List.of();
    /** What the services built here see of the model (see {@link ModelCore}). */
    private final ModelCore core = new ModelCore() {
        @Override public Object lock() { return HomeserverModel.this; }
        @Override public long now() { return HomeserverModel.this.now(); }
        @Override public ChangeSignal signal() { return signal; }
        @Override public Ids ids() { return ids; }
        @Override public Room room(String roomId) { return HomeserverModel.this.room(roomId); }
        @Override public Event event(String eventId) { return HomeserverModel.this.event(eventId); }
        @Override public void indexEvent(Event e) { HomeserverModel.this.indexEvent(e); }
        @Override public void replaceEvent(Event e) { HomeserverModel.this.replaceEvent(e); }
    };
    private final Ephemeral ephemeral = new Ephemeral(core);
    private final MediaStore media = new MediaStore(core);
    private final UiaSessions uiaSessions = new UiaSessions(core);
    private final CrossSigningKeys crossSigningKeys = new CrossSigningKeys();
    private final KeyBackups keyBackups = new KeyBackups();
    private final RateLimiter messageLimiter = new RateLimiter();
    private final SyncData sync;

    /** A model whose ids come from a seed drawn at random. */
    public HomeserverModel(String serverName, LongSupplier nowMillis) {
        this(serverName, nowMillis, Ids.seeded(Ids.randomSeed(), false));
    }

    /** A model whose ids all come from {@code ids} (one seed per engine: issue 20's replayable runs). */
    public HomeserverModel(String serverName, LongSupplier nowMillis, Ids ids) {
        this.serverName = serverName;
        this.nowMillis = nowMillis;
        this.ids = ids;
        this.appender = new EventAppender(core, nowMillis);
        this.sync = new SyncData(signal, ephemeral, appender);
    }

    /**
     * Runs {@code fn} under the model's one lock and returns what it returns. The only way code outside this
     * package reads several things that must agree with each other (a room and its timeline, say); it takes
     * the same monitor as every model service, so what {@code fn} sees is one consistent moment.
     */
    public <T> T read(java.util.function.Supplier<T> fn) {
        synchronized (this) {
            return fn.get();
        }
    }

    /** Runs {@code fn} under the model's one lock: several model operations that must happen as one step. */
    public <T> T write(java.util.function.Supplier<T> fn) {
        synchronized (this) {
            return fn.get();
        }
    }

    /** {@link #write(java.util.function.Supplier)} for an operation with no result. */
    public void write(Runnable fn) {
        synchronized (this) {
            fn.run();
        }
    }

    public String serverName() { return serverName; }
    public long now() { return nowMillis.getAsLong(); }
    /** Where every id, token and opaque string this server hands out comes from. */
    public Ids ids() { return ids; }
    public ChangeSignal signal() { return signal; }
    public EventAppender appender() { return appender; }
    /** Typing, receipts and presence. */
    public Ephemeral ephemeral() { return ephemeral; }
    public MediaStore media() { return media; }
    /** User-interactive auth sessions (deleting devices). */
    public UiaSessions uiaSessions() { return uiaSessions; }
    /** Users' cross-signing keys (under the model's lock). */
    public CrossSigningKeys crossSigningKeys() { return crossSigningKeys; }
    /** Users' key backup versions (under the model's lock). */
    public KeyBackups keyBackups() { return keyBackups; }
    /** What {@code /sync} keeps beyond rooms and users: positions, filters, keys, to-device, push rules. */
    public SyncData sync() { return sync; }
    /** The limiter of sends, state and redactions (off unless configured). */
    public RateLimiter messageLimiter() { return messageLimiter; }

    // ---- appservices --------------------------------------------------------------------------------------

    public synchronized void addAppservice(Appservice as) {
        appservices.put(as.id(), as);
        asTokens.put(as.registration().asToken(), as);
        appserviceList = List.copyOf(appservices.values());
    }

    /** Removes an appservice: its token stops working, its users stay (as the platform's dashboard does). */
    public synchronized Appservice removeAppservice(String id) {
        Appservice as = appservices.remove(id);
        if (as != null) {
            asTokens.remove(as.registration().asToken());
            appserviceList = List.copyOf(appservices.values());
            // A wait on this appservice (an idle appservice, a transaction) must learn at once that it is gone.
            signal.bump();
        }
        return as;
    }

    /**
     * The appservices in registration order: an unmodifiable list, replaced (never changed) when one is added or
     * removed, so callers may cache what they derive from it while the instance is the same. Every append asks
     * for it, and a copy per call cost a send time that grew with the number of registrations.
     */
    public synchronized List<Appservice> appservices() {
        return appserviceList;
    }

    public synchronized Appservice appservice(String id) {
        return appservices.get(id);
    }

    public Appservice appserviceByToken(String token) {
        return asTokens.get(token);
    }

    // ---- sessions -----------------------------------------------------------------------------------------

    public Session sessionByToken(String token) {
        return sessions.get(token);
    }

    public synchronized Session newSession(String userId, String deviceId) {
        String token = ids.accessToken(userId.substring(1, userId.indexOf(':')));
        Session s = new Session(userId, deviceId, token);
        sessions.put(token, s);
        return s;
    }


    public synchronized void endSessionsOf(String userId, String deviceId) {
        sessions.removeIf(s -> s.userId().equals(userId) && (deviceId == null || deviceId.equals(s.deviceId())));
        refreshTokens.removeIf(s -> s.userId().equals(userId) && (deviceId == null || deviceId.equals(s.deviceId())));
        spentRefreshTokens.removeIf(s -> s.userId().equals(userId) && (deviceId == null || deviceId.equals(s.deviceId())));
    }

    /** Ends every session of the user but the one of {@code keepToken} (null: all of them). */
    public synchronized void endSessionsExcept(String userId, String keepToken) {
        // Found through the index, so the token is compared in constant time; sessions are then told apart by identity.
        Session keep = keepToken == null ? null : sessions.get(keepToken);
        sessions.removeIf(s -> s.userId().equals(userId) && s != keep);
        refreshTokens.removeIf(s -> s.userId().equals(userId) && s != keep);
    }

    /** A refresh token for {@code session} (a login that asked for one). */
    public synchronized String newRefreshToken(Session session) {
        String token = "syr_" + ids.opaque();
        refreshTokens.put(token, session);
        return token;
    }

    /**
     * Exchanges a refresh token for a new session on the same device, as Synapse 1.94's {@code refresh_token}:
     * the old access token keeps working (until it would expire), the old refresh token is spent. Returns the
     * new access and refresh tokens.
     *
     * <p>Simplified: Synapse accepts a spent refresh token again until the tokens it gave are used; the fake
     * refuses it at once, as Synapse does once they are.
     */
    public synchronized String[] refresh(String refreshToken) {
        Session old = refreshTokens.get(refreshToken);
        if (old == null) {
            if (spentRefreshTokens.get(refreshToken) != null) {
                throw MatrixException.forbidden("refresh token isn't valid anymore");
            }
            throw new MatrixException(401, "M_UNKNOWN_TOKEN", "invalid refresh token");
        }
        refreshTokens.remove(refreshToken);
        spentRefreshTokens.put(refreshToken, old);
        Session renewed = newSession(old.userId(), old.deviceId());
        return new String[] {renewed.accessToken(), newRefreshToken(renewed)};
    }

    // ---- lookups: only inside read/write ------------------------------------------------------------------
    //
    // Rooms, users and the indexes change under the model's lock, so these refuse to run without it: code
    // outside the model reaches them only from inside read(..)/write(..) (or a service), and a lookup that forgot
    // the lock fails in the first test that runs it instead of racing now and then.

    /** Throws unless the calling thread holds the model's lock: what "runs under the lock" checks. */
    void requireLock() {
        if (!Thread.holdsLock(this)) {
            throw new IllegalStateException("Model lookups run inside model.read(..) or model.write(..): rooms, "
                    + "users and their indexes change under the model's lock");
        }
    }

    public User user(String userId) {
        requireLock();
        return users.get(userId);
    }

    public Room room(String roomId) {
        requireLock();
        return rooms.get(roomId);
    }

    /** Every room in creation order: an unmodifiable view. */
    public Collection<Room> rooms() {
        requireLock();
        return roomsView;
    }

    /** Every user in creation order: an unmodifiable view. */
    public Collection<User> users() {
        requireLock();
        return usersView;
    }

    public String roomForAlias(String alias) {
        requireLock();
        return aliases.get(alias);
    }

    /** Local alias to room id: an unmodifiable view. */
    public Map<String, String> roomIdsByAlias() {
        requireLock();
        return aliasesView;
    }

    public Event event(String eventId) {
        requireLock();
        return eventsById.get(eventId);
    }

    private void indexEvent(Event e) {
        eventsById.put(e.eventId(), e);
        if ("m.room.member".equals(e.type())) {
            if ("join".equals(e.membership())) {
                joinedRooms.computeIfAbsent(e.stateKey(), k -> new java.util.LinkedHashSet<>()).add(e.roomId());
            } else {
                java.util.Set<String> set = joinedRooms.get(e.stateKey());
                if (set != null) {
                    set.remove(e.roomId());
                }
            }
        }
    }

    /** The rooms a user has joined, from an index kept by the append path: an unmodifiable view. */
    public java.util.Set<String> joinedRooms(String userId) {
        requireLock();
        java.util.Set<String> set = joinedRooms.get(userId);
        return set == null ? java.util.Set.of() : java.util.Collections.unmodifiableSet(set);
    }

    /** Replaces a stored event (after a redaction) in the index, the timeline and the state. */
    private void replaceEvent(Event e) {
        eventsById.put(e.eventId(), e);
        Room room = rooms.get(e.roomId());
        room.replaceInTimeline(e);
        if (e.isState()) {
            room.state().replace(e);
        }
        signal.bump();
    }

    public boolean isMine(String id) {
        int colon = id.indexOf(':');
        return colon > 0 && id.substring(colon + 1).equals(serverName);
    }

    /**
     * Forgets everything but the appservices, their tokens and the stream counter: stream positions keep
     * increasing across resets, so a stale pagination token can never match a new event.
     */
    public synchronized void reset() {
        users.clear();
        rooms.clear();
        aliases.clear();
        eventsById.clear();
        joinedRooms.clear();
        sendTxns.clear();
        aliasCreators.clear();
        appserviceRoomLists.clear();
        sessions.clear();
        refreshTokens.clear();
        spentRefreshTokens.clear();
        ephemeral.reset();
        media.reset();
        uiaSessions.reset();
        crossSigningKeys.reset();
        keyBackups.reset();
        messageLimiter.reset();
        sync.reset();
        signal.bump();
    }
}
