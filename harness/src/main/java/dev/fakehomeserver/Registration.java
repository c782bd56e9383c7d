package dev.fakehomeserver;

import dev.fakehomeserver.internal.registration.RegistrationFields;
import dev.fakehomeserver.internal.registration.RegistrationLoader;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An appservice registration, as read from a {@code registration.yaml} file or built in code.
 *
 * <p>Instances are immutable. The url can be replaced with {@link #withUrl(String)}, because the appservice under
 * test usually starts on a random port after the registration was written.
 *
 * <pre>{@code
 * Registration weather = Registration.fromPath(Path.of("weather.yaml"));
 * Registration bridge = Registration.builder("bridge")
 *         .senderLocalpart("bridgebot")
 *         .users("@bridge_.*:test", true)
 *         .aliases("#bridge_.*:test", true)
 *         .build();                      // tokens are 64 random hex characters
 * }</pre>
 */
public final class Registration {
    private final String id;
    private final String url;
    private final String asToken;
    private final String hsToken;
    private final String senderLocalpart;
    private final boolean rateLimited;
    private final List<Namespace> users;
    private final List<Namespace> aliases;
    private final List<Namespace> rooms;
    private final List<String> protocols;
    private final boolean receiveEphemeral;
    private final boolean msc2409PushEphemeral;
    private final boolean msc3202;
    private final boolean msc4190;
    private final String source;
    private final Map<String, Integer> lines;

    private Registration(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.url = b.url;
        this.asToken = Objects.requireNonNull(b.asToken, "asToken");
        this.hsToken = Objects.requireNonNull(b.hsToken, "hsToken");
        this.senderLocalpart = Objects.requireNonNull(b.senderLocalpart, "senderLocalpart");
        this.rateLimited = b.rateLimited;
        this.users = List.copyOf(b.users);
        this.aliases = List.copyOf(b.aliases);
        this.rooms = List.copyOf(b.rooms);
        this.protocols = List.copyOf(b.protocols);
        this.receiveEphemeral = b.receiveEphemeral;
        this.msc2409PushEphemeral = b.msc2409PushEphemeral;
        this.msc3202 = b.msc3202;
        this.msc4190 = b.msc4190;
        this.source = b.source;
        this.lines = Map.copyOf(b.lines);
    }

    /** Loads and validates a registration file; a bad file fails with its name, the field and the line. */
    public static Registration fromPath(Path file) {
        return of(RegistrationLoader.fromPath(file));
    }

    /** Loads a registration from a classpath resource, such as {@code "registrations/weather.yaml"}. */
    public static Registration fromClasspath(String resource) {
        return of(RegistrationLoader.fromClasspath(resource, Thread.currentThread().getContextClassLoader()));
    }

    /** Parses a registration from YAML text; {@code sourceName} names it in error messages. */
    public static Registration fromYaml(String yaml, String sourceName) {
        return of(RegistrationLoader.fromString(yaml, sourceName));
    }

    /** Parses a registration from YAML text. */
    public static Registration fromYaml(String yaml) {
        return fromYaml(yaml, "<string>");
    }

    /** What the loader read, through the builder (which strips the url's trailing slashes, as Synapse does). */
    private static Registration of(RegistrationFields f) {
        Builder b = builder(f.id).source(f.source).url(f.url).asToken(f.asToken).hsToken(f.hsToken)
                .senderLocalpart(f.senderLocalpart).rateLimited(f.rateLimited).receiveEphemeral(f.receiveEphemeral)
                .msc2409PushEphemeral(f.msc2409PushEphemeral).msc3202(f.msc3202).msc4190(f.msc4190);
        b.users.addAll(f.users);
        b.aliases.addAll(f.aliases);
        b.rooms.addAll(f.rooms);
        b.protocols.addAll(f.protocols);
        b.lines.putAll(f.lines);
        return b.build();
    }

    /** Starts building a registration in code, with freshly generated tokens. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder initialised with every field of this registration. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.url = url;
        b.asToken = asToken;
        b.hsToken = hsToken;
        b.senderLocalpart = senderLocalpart;
        b.rateLimited = rateLimited;
        b.users.addAll(users);
        b.aliases.addAll(aliases);
        b.rooms.addAll(rooms);
        b.protocols.addAll(protocols);
        b.receiveEphemeral = receiveEphemeral;
        b.msc2409PushEphemeral = msc2409PushEphemeral;
        b.msc3202 = msc3202;
        b.msc4190 = msc4190;
        b.source = source;
        b.lines.putAll(lines);
        return b;
    }

    /** A copy of this registration pointing at another url ({@code null} means: push nothing). */
    public Registration withUrl(String newUrl) {
        return toBuilder().url(newUrl).build();
    }

    /** The appservice id, unique among the registrations of one homeserver. */
    public String id() { return id; }
    /** The base url events are pushed to, without trailing slashes, or {@code null} for none. */
    public String url() { return url; }
    /** The token the appservice presents to the homeserver. */
    public String asToken() { return asToken; }
    /** The token the homeserver presents to the appservice. */
    public String hsToken() { return hsToken; }
    /** The localpart of the appservice's own bot user. */
    public String senderLocalpart() { return senderLocalpart; }
    /** The full user id of the bot user on the given server. */
    public String senderUserId(String serverName) { return "@" + senderLocalpart + ":" + serverName; }
    /** Whether masqueraded users are rate limited (Synapse's default is {@code true}). */
    public boolean rateLimited() { return rateLimited; }
    /** The users namespace, in file order. */
    public List<Namespace> users() { return users; }
    /** The aliases namespace, in file order. */
    public List<Namespace> aliases() { return aliases; }
    /** The rooms namespace, in file order. */
    public List<Namespace> rooms() { return rooms; }
    /** The third-party protocols this appservice serves. */
    public List<String> protocols() { return protocols; }
    /** Whether transactions carry the stable {@code ephemeral} key. */
    public boolean receiveEphemeral() { return receiveEphemeral; }
    /** Whether transactions carry the unstable {@code de.sorunome.msc2409.ephemeral} key. */
    public boolean msc2409PushEphemeral() { return msc2409PushEphemeral; }
    /** The {@code org.matrix.msc3202} opt-in. */
    public boolean msc3202() { return msc3202; }
    /** The {@code io.element.msc4190} opt-in: {@code /register} needs {@code inhibit_login}, AS login is refused. */
    public boolean msc4190() { return msc4190; }
    /** Where the registration came from: a file path, a classpath resource, {@code <string>} or {@code <code>}. */
    public String source() { return source; }

    /**
     * The 1-based line where a field was written in the file this registration was loaded from, such as
     * {@code line("url")} or {@code line("namespaces.users[0].regex")}; 0 when unknown (built in code, or a field
     * the file leaves out).
     *
     * <pre>{@code
     * Registration.fromPath(Path.of("weather.yaml")).line("rate_limited");   // 7
     * }</pre>
     */
    public int line(String field) { return lines.getOrDefault(field, 0); }

    @Override
    public String toString() {
        // Tokens are secrets: never print them.
        return "Registration[id=" + id + ", url=" + url + ", sender=" + senderLocalpart + ", source=" + source + "]";
    }

    /** Builds a {@link Registration}; tokens default to 64 random hex characters. */
    public static final class Builder {
        private static final SecureRandom RANDOM = new SecureRandom();
        private final String id;
        private String url;
        private String asToken = randomToken();
        private String hsToken = randomToken();
        private String senderLocalpart;
        private boolean rateLimited = true;
        private final List<Namespace> users = new ArrayList<>();
        private final List<Namespace> aliases = new ArrayList<>();
        private final List<Namespace> rooms = new ArrayList<>();
        private final List<String> protocols = new ArrayList<>();
        private boolean receiveEphemeral;
        private boolean msc2409PushEphemeral;
        private boolean msc3202;
        private boolean msc4190;
        private String source = "<code>";
        private final Map<String, Integer> lines = new java.util.HashMap<>();

        private Builder(String id) {
            this.id = id;
            this.senderLocalpart = id + "bot";
        }

        /** 64 hex characters from a secure random source. */
        public static String randomToken() {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }

        /** The push url; trailing slashes are stripped as Synapse does. */
        public Builder url(String url) {
            String u = url;
            while (u != null && u.endsWith("/")) {
                u = u.substring(0, u.length() - 1);
            }
            this.url = u;
            return this;
        }
        /** Sets the as_token. */
        public Builder asToken(String token) { this.asToken = token; return this; }
        /** Sets the hs_token. */
        public Builder hsToken(String token) { this.hsToken = token; return this; }
        /** Sets the bot's localpart (default: the id followed by {@code bot}). */
        public Builder senderLocalpart(String localpart) { this.senderLocalpart = localpart; return this; }
        /** Sets rate_limited (default true, as in Synapse). */
        public Builder rateLimited(boolean limited) { this.rateLimited = limited; return this; }
        /** Adds a users namespace entry. */
        public Builder users(String regex, boolean exclusive) { users.add(new Namespace(regex, exclusive)); return this; }
        /** Adds an aliases namespace entry. */
        public Builder aliases(String regex, boolean exclusive) { aliases.add(new Namespace(regex, exclusive)); return this; }
        /** Adds a rooms namespace entry. */
        public Builder rooms(String regex, boolean exclusive) { rooms.add(new Namespace(regex, exclusive)); return this; }
        /** Adds a third-party protocol. */
        public Builder protocol(String protocol) { protocols.add(protocol); return this; }
        /** Sets receive_ephemeral. */
        public Builder receiveEphemeral(boolean on) { this.receiveEphemeral = on; return this; }
        /** Sets de.sorunome.msc2409.push_ephemeral. */
        public Builder msc2409PushEphemeral(boolean on) { this.msc2409PushEphemeral = on; return this; }
        /** Sets org.matrix.msc3202. */
        public Builder msc3202(boolean on) { this.msc3202 = on; return this; }
        /** Sets io.element.msc4190. */
        public Builder msc4190(boolean on) { this.msc4190 = on; return this; }
        /** Names where this registration came from, for messages. */
        public Builder source(String source) { this.source = source; return this; }

        /** Builds the registration. */
        public Registration build() {
            return new Registration(this);
        }
    }
}
