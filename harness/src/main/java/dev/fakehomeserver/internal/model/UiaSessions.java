package dev.fakehomeserver.internal.model;

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

    /** One session: what it was opened for and the stages done, each with the user it validated. */
    public record Session(String id, String method, String path, Map<String, String> completed) {}

    UiaSessions(ModelCore core) {
        this.core = core;
    }

    /** Opens a session for this request. */
    public Session open(String method, String path) {
        synchronized (core.lock()) {
            if (sessions.size() >= MAX) {
                sessions.remove(sessions.keySet().iterator().next());
            }
            Session s = new Session(core.ids().opaque(), method, path, new LinkedHashMap<>());
            sessions.put(s.id(), s);
            return s;
        }
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
