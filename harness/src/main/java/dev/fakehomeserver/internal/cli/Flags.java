package dev.fakehomeserver.internal.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The standalone server's command line, parsed by hand from one table of flags. A reflective parser (picocli)
 * cost about a fifth of the jar's cold start (benchmarks/README.md, figure 1) for a dozen flags.
 *
 * <p>{@code --name value} and {@code --name=value}; repeatable flags also take comma-separated lists; every flag
 * falls back to its environment variable ({@code --server-name} is {@code FAKEHS_SERVER_NAME}, a switch reads
 * {@code true}/{@code false}), and the command line wins over the environment.
 */
final class Flags {
    static final String ENV_PREFIX = "FAKEHS_";

    /** One flag of the table: a switch when {@code label} is null. */
    record Flag(String name, String label, boolean repeatable, String defaultValue, String help) {
        boolean isSwitch() {
            return label == null;
        }

        String envName() {
            return ENV_PREFIX + name.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
        }
    }

    /** A command line that cannot be used; its message is one line, naming the flag and the value. */
    static final class BadFlag extends Exception {
        BadFlag(String message) {
            super(message, null, false, false);
        }
    }

    static final List<Flag> TABLE = List.of(
            new Flag("--port", "PORT", false, "8008", "Port to listen on; 0 picks a free one (default: 8008)."),
            new Flag("--bind", "ADDRESS", false, "127.0.0.1",
                    "Address to bind (default: 127.0.0.1; 0.0.0.0 exposes the fake to the network)."),
            new Flag("--server-name", "NAME", false, "test",
                    "Server name, the part after ':' in user ids (default: test)."),
            new Flag("--registration", "FILE", true, null, "Appservice registration YAML to load; repeatable. "
                    + "Without any, an example registration is generated in a temporary directory."),
            new Flag("--as-url", "ID=URL", true, null,
                    "Push url of appservice ID, replacing its registration's url; repeatable."),
            new Flag("--no-exclusive-user-rule", null, false, null, "Let appservices create users their "
                    + "non-exclusive namespaces match, as plain Synapse does (the hosting platform requires an "
                    + "exclusive users namespace)."),
            new Flag("--no-namespace-conflict-check", null, false, null,
                    "Accept registrations whose exclusive namespaces overlap."),
            new Flag("--platform", "PLAN", false, null, "Turn on the hosting platform's rules for this plan: free, "
                    + "starter, pro or business (managed Telegram, Slack and Discord bridges, the plan's limit on "
                    + "custom appservices, the dashboard under /_fakehs/v1/platform/; docs/platform.md)."),
            new Flag("--closed-registration", null, false, null,
                    "Refuse registration of ordinary users (m.login.dummy), as Synapse's default does."),
            new Flag("--control-token", "TOKEN", false, null,
                    "Bearer token of the control API under /_fakehs/v1/ (default: a random one, printed)."),
            new Flag("--no-control-token", null, false, null,
                    "Serve the control API without a token (only on a machine you trust)."),
            new Flag("--scene", "FILE", true, null, "A scene or seed YAML (users, rooms, their history; what GET "
                    + "/_fakehs/v1/scene exports) loaded at start and again after every reset; repeatable."),
            new Flag("--state-file", "FILE", false, null, "Loads this scene at start if the file exists and saves "
                    + "the server's scene to it on exit, to keep a hand-made scene across restarts."),
            new Flag("--coverage", "FILE", false, null, "Write the scenario coverage report (docs/coverage.md) to "
                    + "this file on exit: Markdown, or the JSON of GET /_fakehs/v1/coverage for a name ending in .json."),
            new Flag("--max-media-bytes", "BYTES", false, String.valueOf(
                    dev.fakehomeserver.internal.model.Options.DEFAULT_MAX_MEDIA_BYTES),
                    "Budget for all uploaded media, kept in memory; beyond it uploads get 413 (default: 512 MiB)."),
            new Flag("--tls", null, false, null, "Serve HTTPS too, on --tls-port, with a self-signed certificate "
                    + "made at start (its SHA-256 fingerprint is printed), for clients that speak only HTTPS."),
            new Flag("--tls-port", "PORT", false, "8448",
                    "Port of the HTTPS listener of --tls; 0 picks a free one (default: 8448)."),
            new Flag("--public-url", "URL", false, null, "The url clients should use when a proxy or TLS terminator "
                    + "sits in front: /login's well_known and /.well-known/matrix/client name it, as Synapse's "
                    + "public_baseurl (default: the url each request came to)."),
            new Flag("--seed", "N", false, null, "Seed of every id and token the server makes, to replay a run "
                    + "(a failure message prints it); fixed seeds make tokens guessable (default: random)."),
            new Flag("--verbose", null, false, null, "Print one line per request answered, and one per request "
                    + "sent to an appservice (transactions, queries, pings)."),
            new Flag("--help", null, false, null, "Show this help and exit."),
            new Flag("--version", null, false, null, "Print the version and exit."));

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Flags() {}

    /** Parses the command line, then fills what it did not give from the environment. */
    static Flags parse(String[] args, Map<String, String> env) throws BadFlag {
        Flags f = new Flags();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("-h")) {
                name = "--help";
            } else if (name.equals("-V")) {
                name = "--version";
            }
            Flag flag = find(name);
            if (flag == null) {
                throw new BadFlag("Unknown option: '" + arg + "'");
            }
            if (flag.isSwitch()) {
                if (value != null) {
                    throw new BadFlag("Option '" + name + "' takes no value, got '" + value + "'");
                }
                f.values.put(name, List.of("true"));
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new BadFlag("Missing required parameter for option '" + name + "' (" + flag.label() + ")");
                }
                value = args[++i];
            }
            f.add(flag, value);
        }
        for (Flag flag : TABLE) {
            String v = env.get(flag.envName());
            if (v == null || v.isEmpty() || f.values.containsKey(flag.name())) {
                continue;
            }
            if (flag.isSwitch()) {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new BadFlag("Invalid value for " + flag.envName() + ": '" + v + "' is not true or false");
                }
                if (v.equalsIgnoreCase("true")) {
                    f.values.put(flag.name(), List.of("true"));
                }
            } else {
                f.add(flag, v);
            }
        }
        return f;
    }

    private void add(Flag flag, String value) {
        List<String> list = values.computeIfAbsent(flag.name(), k -> new ArrayList<>());
        if (flag.repeatable()) {
            for (String part : value.split(",")) {
                if (!part.isEmpty()) {
                    list.add(part);
                }
            }
        } else {
            list.clear();
            list.add(value);
        }
    }

    private static Flag find(String name) {
        for (Flag f : TABLE) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    boolean on(String name) {
        return values.containsKey(name);
    }

    /** The flag's value, or its default (null when it has none). */
    String value(String name) {
        List<String> v = values.get(name);
        return v == null ? find(name).defaultValue() : v.get(v.size() - 1);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    long longValue(String name) throws BadFlag {
        return number(name, Long.MIN_VALUE, Long.MAX_VALUE, "a number");
    }

    int intValue(String name) throws BadFlag {
        return (int) number(name, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int");
    }

    private long number(String name, long min, long max, String what) throws BadFlag {
        String v = value(name);
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, with the flag's name
        }
        throw new BadFlag("Invalid value for option '" + name + "': '" + v + "' is not " + what);
    }

    /** The usage text: every flag with its environment variable. */
    static String help() {
        StringBuilder sb = new StringBuilder("Usage: java -jar fake-homeserver-standalone.jar [OPTIONS]\n")
                .append("A fake Matrix homeserver for testing application services.\n")
                .append("Every option can also be set from the environment: --server-name is FAKEHS_SERVER_NAME, ")
                .append("--no-control-token is FAKEHS_NO_CONTROL_TOKEN=true; lists are comma-separated.\n")
                .append("Commands: 'conformance --help' checks an appservice; 'cds-archive FILE' writes a class-data ")
                .append("sharing archive for a faster start (java -XX:SharedArchiveFile=FILE -jar ...).\n\n");
        for (Flag f : TABLE) {
            String left = "  " + f.name() + (f.isSwitch() ? "" : " " + f.label());
            sb.append(String.format(Locale.ROOT, "%-36s %s%n", left, f.help()));
            if (!f.name().equals("--help") && !f.name().equals("--version")) {
                sb.append(String.format(Locale.ROOT, "%-36s (environment: %s)%n", "", f.envName()));
            }
        }
        return sb.toString();
    }
}
