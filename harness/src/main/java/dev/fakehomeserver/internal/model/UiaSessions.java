package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.internal.base.MatrixException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * User-interactive auth sessions, as Synapse's {@code ui_auth_sessions} table keeps them: the request a session
 * was opened for (method and path, which later requests of the session must repeat) and the stages completed in
 * it, so a session that passed once passes again. Guarded by the model's lock; at most {@link #MAX} sessions,
 * the oldest forgotten first (Synapse expires them after two days).
 */
public final class UiaSessions {
    static final int MAX = 1000;
    private final ModelCore core;
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    /**
     * One session: what it was opened for, the stages done (each with the user it validated) and the data
     * Synapse keeps beside them ({@code ui_auth_sessions.clientdict} and {@code ui_auth_sessions_data}: the
     * registration's parameters, its password hash and the user it registered).
     */
    public record Session(String id, String method, String path, Map<String, String> completed,
                          Map<String, Object> data) {}

    UiaSessions(ModelCore core) {
        this.core = core;
    }

    /** Opens a session for this request. */
    public Session open(String method, String path) {
        synchronized (core.lock()) {
            if (sessions.size() >= MAX) {
                sessions.remove(sessions.keySet().iterator().next());
            }
            Session s = new Session(core.ids().opaque(), method, path, new LinkedHashMap<>(), new LinkedHashMap<>());
            sessions.put(s.id(), s);
            return s;
        }
    }

    /**
     * How Synapse's {@code check_ui_auth} starts: without a session id a new session for this request; else the
     * session of that id (400 when unknown), which must have been opened for the same method and path (403).
     */
    public Session openOrResume(String sid, String method, String path) {
        if (sid == null || sid.isEmpty()) {
            return open(method, path);
        }
        Session session = get(sid);
        if (session == null) {
            throw MatrixException.unknown(400, "Unknown session ID: " + sid);
        }
        if (!session.method().equals(method) || !session.path().equals(path)) {
            throw MatrixException.unknown(403, "Requested operation has changed during the UI authentication session.");
        }
        return session;
    }

    /** A session by id, or null. */
    public Session get(String id) {
        synchronized (core.lock()) {
            return sessions.get(id);
        }
    }

    /** Records a completed stage and the user it validated. */
    public void complete(Session s, String stage, String userId) {
        synchronized (core.lock()) {
            s.completed().put(stage, userId);
        }
    }

    /** A value kept with the session, or null. */
    public Object data(Session s, String key) {
        synchronized (core.lock()) {
            return s.data().get(key);
        }
    }

    /** Keeps a value with the session. */
    public void putData(Session s, String key, Object value) {
        synchronized (core.lock()) {
            s.data().put(key, value);
        }
    }

    /** The completed stages, in completion order. */
    public Set<String> completed(Session s) {
        synchronized (core.lock()) {
            return new LinkedHashSet<>(s.completed().keySet());
        }
    }

    void reset() {
        synchronized (core.lock()) {
            sessions.clear();
        }
    }
}
