package dev.fakehomeserver.internal.registration;

import dev.fakehomeserver.Namespace;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields {@link RegistrationLoader} read from a registration file, before {@code Registration} takes them:
 * the loader fills these rather than the public builder, so the public type depends on the loader and not the
 * other way round. Unset flags are false, as in Synapse.
 */
public final class RegistrationFields {
    public final String id;
    public final String source;
    public String url;
    public String asToken;
    public String hsToken;
    public String senderLocalpart;
    public boolean rateLimited = true;
    public final List<Namespace> users = new ArrayList<>();
    public final List<Namespace> aliases = new ArrayList<>();
    public final List<Namespace> rooms = new ArrayList<>();
    public final List<String> protocols = new ArrayList<>();
    public boolean receiveEphemeral;
    public boolean msc2409PushEphemeral;
    public boolean msc3202;
    public boolean msc4190;
    /** The 1-based line of each field read ({@code url}, {@code namespaces.users[0].regex}...), for lint. */
    public final java.util.Map<String, Integer> lines = new java.util.LinkedHashMap<>();

    RegistrationFields(String id, String source) {
        this.id = id;
        this.source = source;
    }

    void line(String field, int line) {
        if (line > 0) {
            lines.put(field, line);
        }
    }

    void url(String v) { url = v; }
    void asToken(String v) { asToken = v; }
    void hsToken(String v) { hsToken = v; }
    void senderLocalpart(String v) { senderLocalpart = v; }
    void rateLimited(boolean v) { rateLimited = v; }
    void users(String regex, boolean exclusive) { users.add(new Namespace(regex, exclusive)); }
    void aliases(String regex, boolean exclusive) { aliases.add(new Namespace(regex, exclusive)); }
    void rooms(String regex, boolean exclusive) { rooms.add(new Namespace(regex, exclusive)); }
    void protocol(String p) { protocols.add(p); }
    void receiveEphemeral(boolean v) { receiveEphemeral = v; }
    void msc2409PushEphemeral(boolean v) { msc2409PushEphemeral = v; }
    void msc3202(boolean v) { msc3202 = v; }
    void msc4190(boolean v) { msc4190 = v; }
}
