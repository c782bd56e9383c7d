package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.registration.NamespaceMatcher;

/**
 * A loaded registration at runtime: its namespace matcher and its (changeable) url. The transaction pusher of
 * the appservice hangs off {@link #pusherSlot}.
 */
public final class Appservice {
    private volatile Registration registration;
    private final NamespaceMatcher matcher;
    private final String senderUserId;
    private volatile Object pusher;

    public Appservice(Registration registration, String serverName) {
        this.registration = registration;
        this.matcher = new NamespaceMatcher(registration, serverName);
        this.senderUserId = registration.senderUserId(serverName);
    }

    public String id() { return registration.id(); }
    public Registration registration() { return registration; }
    public NamespaceMatcher matcher() { return matcher; }
    public String senderUserId() { return senderUserId; }

    /** The push url, or null (then nothing is pushed and ping answers {@code M_URL_NOT_SET}). */
    public String url() { return registration.url(); }

    public void url(String url) {
        this.registration = registration.withUrl(url);
    }

    /** The push machinery of this appservice, owned by the push package; opaque to the model. */
    public Object pusherSlot() { return pusher; }

    public void pusherSlot(Object p) { this.pusher = p; }

    @Override
    public String toString() {
        return "Appservice[" + id() + "]";
    }
}
