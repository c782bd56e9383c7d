package dev.fakehomeserver.internal.registration;

import dev.fakehomeserver.RegistrationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a registration file into {@link RegistrationFields} (which {@code Registration} turns into itself, so
 * this class does not depend on it) and checks it the way Synapse does at startup ({@code _load_appservice} in
 * {@code synapse/config/appservice.py}), failing with a {@link RegistrationException} that names the source, the
 * field and the line.
 *
 * <p>The YAML is only <em>composed</em> into a node tree, never constructed into objects: nodes keep their line
 * numbers, and no tag can instantiate anything. Scalar types follow YAML 1.1 as PyYAML does, so {@code yes} is a
 * boolean and {@code "true"} (quoted) is a string, exactly as Synapse sees them. Duplicate keys are allowed and the
 * last one wins, as in PyYAML. Unknown keys are ignored, as in Synapse.
 */
public final class RegistrationLoader {
    private static final String NAMESPACES = "namespaces";
    private static final List<String> NAMESPACE_KINDS = List.of("users", "aliases", "rooms");

    private RegistrationLoader() {
    }

    /** Loads a registration file; the path as given is its source. */
    public static RegistrationFields fromPath(Path file) {
        String source = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw RegistrationException.at(source, "", 0, "cannot read the file: " + e, e);
        }
        return fromString(yaml, source);
    }

    /** Loads a classpath resource such as {@code registrations/weather.yaml}; its source is {@code classpath:<resource>}. */
    public static RegistrationFields fromClasspath(String resource, ClassLoader loader) {
        // ClassLoader resources never start with "/", unlike Class.getResource; accept both spellings.
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        String source = "classpath:" + name;
        ClassLoader cl = loader != null ? loader : RegistrationLoader.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                throw RegistrationException.at(source, "", 0, "no such classpath resource");
            }
            return fromString(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw RegistrationException.at(source, "", 0, "cannot read the resource: " + e, e);
        }
    }

    /** Parses YAML text; {@code sourceName} names it in messages and becomes the registration's source. */
    public static RegistrationFields fromString(String yaml, String sourceName) {
        Objects.requireNonNull(yaml, "yaml");
        return new Reading(sourceName).registration(compose(yaml, sourceName));
    }

    private static Node compose(String yaml, String source) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            // No cause: SnakeYAML's message quotes the offending lines, which may hold the tokens, and a stack
            // trace in a test log would print them. The problem and the line say enough.
            throw RegistrationException.at(source, "", line, "invalid YAML: " + problem);
        } catch (YAMLException e) {
            throw RegistrationException.at(source, "", 0, "invalid YAML: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // SnakeYAML lets some malformed text through as other exceptions (a tag "!%0" throws
            // IllegalArgumentException from its percent decoder): still text it cannot read, found by fuzzing.
            throw RegistrationException.at(source, "", 0, "invalid YAML: " + e, e);
        }
    }

    /** The checks for one document; holds the source so every failure can name it. */
    private static final class Reading {
        private final String source;

        Reading(String source) {
            this.source = source;
        }

        RegistrationFields registration(Node node) {
            if (node == null) {
                throw RegistrationException.at(source, "", 0, "the document is empty; expected a mapping with id, url, "
                        + "as_token, hs_token, sender_localpart and namespaces");
            }
            MappingNode root = mapping(node, "", "the document must be a mapping of registration fields");
            Map<String, Node> fields = entries(root);

            String id = requiredString(fields, root, "id", false);
            if (id.contains("|")) {
                // Synapse joins "<as_id>|<network_id>" into third-party instance ids.
                throw fail("id", fields.get("id"), "application service ID cannot contain '|' character");
            }
            RegistrationFields b = new RegistrationFields(id, source);
            for (Map.Entry<String, Node> e : fields.entrySet()) {
                b.line(e.getKey(), line(e.getValue()));
            }
            b.url(url(fields, root));
            b.asToken(token(fields, root, "as_token"));
            b.hsToken(token(fields, root, "hs_token"));
            b.senderLocalpart(senderLocalpart(fields, root));
            // Synapse: anything but a real boolean (even "false" as a string) means rate limited.
            Node rateLimited = fields.get("rate_limited");
            b.rateLimited(!isBool(rateLimited) || boolValue((ScalarNode) rateLimited));
            namespaces(fields, root, b);
            protocols(fields, b);
            optionalBool(fields, "receive_ephemeral", b::receiveEphemeral);
            optionalBool(fields, "de.sorunome.msc2409.push_ephemeral", b::msc2409PushEphemeral);
            optionalBool(fields, "org.matrix.msc3202", b::msc3202);
            optionalBool(fields, "io.element.msc4190", b::msc4190);
            return b;
        }

        private String url(Map<String, Node> fields, MappingNode root) {
            if (!fields.containsKey("url")) {
                throw fail("url", root, "required: give the appservice's base url, or write url: null "
                        + "for an appservice that receives no traffic");
            }
            Node url = fields.get("url");
            if (isNull(url)) {
                return null;
            }
            if (!isString(url)) {
                throw fail("url", url, "must be a string or null, got " + describe(url, false));
            }
            return ((ScalarNode) url).getValue(); // the Builder strips trailing slashes, as Synapse does
        }

        private String token(Map<String, Node> fields, MappingNode root, String key) {
            String token = requiredString(fields, root, key, true);
            String refusal = TokenChecks.refusal(key, token);
            if (refusal != null) {
                throw fail(key, fields.get(key), refusal);
            }
            return token;
        }

        private String senderLocalpart(Map<String, Node> fields, MappingNode root) {
            String localpart = requiredString(fields, root, "sender_localpart", false);
            int bad = firstUrlUnsafeChar(localpart);
            if (bad >= 0) {
                throw fail("sender_localpart", fields.get("sender_localpart"),
                        "needs characters which are not URL encoded: '" + new String(Character.toChars(bad))
                                + "' (only letters, digits and _.-~/ are left alone by URL quoting)");
            }
            return localpart;
        }

        private void namespaces(Map<String, Node> fields, MappingNode root, RegistrationFields b) {
            Node node = fields.get(NAMESPACES);
            if (node == null) {
                throw fail(NAMESPACES, root, "required: a mapping with optional users, aliases and rooms lists");
            }
            MappingNode ns = mapping(node, NAMESPACES, "must be a mapping with optional users, aliases and rooms");
            Map<String, Node> kinds = entries(ns);
            for (String kind : NAMESPACE_KINDS) {
                if (!kinds.containsKey(kind)) {
                    continue; // each list is optional
                }
                String path = NAMESPACES + "." + kind;
                Node list = kinds.get(kind);
                if (isNull(list)) {
                    // Synapse iterates the value and fails with a TypeError; say what to write instead.
                    throw fail(path, list, "is empty (null); write " + kind + ": [] for an empty list");
                }
                if (!(list instanceof SequenceNode)) {
                    throw fail(path, list, "must be a list of {regex, exclusive} entries, got " + describe(list, false));
                }
                List<Node> items = ((SequenceNode) list).getValue();
                for (int i = 0; i < items.size(); i++) {
                    namespaceEntry(items.get(i), path + "[" + i + "]", kind, b);
                }
            }
        }

        private void namespaceEntry(Node item, String path, String kind, RegistrationFields b) {
            MappingNode entry = mapping(item, path, "must be a mapping with regex and exclusive");
            Map<String, Node> f = entries(entry);
            Node regexNode = f.get("regex");
            if (regexNode == null) {
                throw fail(path + ".regex", entry, "required string field is missing");
            }
            if (!isString(regexNode)) {
                throw fail(path + ".regex", regexNode, "must be a string, got " + describe(regexNode, false));
            }
            String regex = ((ScalarNode) regexNode).getValue();
            b.line(path + ".regex", line(regexNode));
            try {
                PythonRegex.compile(regex);
            } catch (PatternSyntaxException e) {
                throw fail(path + ".regex", regexNode, "invalid regular expression: " + e.getDescription()
                        + " near index " + e.getIndex() + " of " + regex);
            }
            Node exclusive = f.get("exclusive");
            if (exclusive == null) {
                throw fail(path + ".exclusive", entry, "required: true or false");
            }
            if (!isBool(exclusive)) {
                throw fail(path + ".exclusive", exclusive, "must be true or false, got " + describe(exclusive, false));
            }
            boolean excl = boolValue((ScalarNode) exclusive);
            switch (kind) {
                case "users" -> b.users(regex, excl);
                case "aliases" -> b.aliases(regex, excl);
                default -> b.rooms(regex, excl);
            }
        }

        private void protocols(Map<String, Node> fields, RegistrationFields b) {
            Node node = fields.get("protocols");
            if (node == null || isNull(node)) {
                return; // Synapse only checks a truthy value; null means no protocols
            }
            if (!(node instanceof SequenceNode)) {
                throw fail("protocols", node, "must be a list of strings, got " + describe(node, false));
            }
            List<Node> items = ((SequenceNode) node).getValue();
            for (int i = 0; i < items.size(); i++) {
                Node p = items.get(i);
                if (!isString(p)) {
                    throw fail("protocols[" + i + "]", p, "must be a string, got " + describe(p, false));
                }
                b.protocol(((ScalarNode) p).getValue());
            }
        }

        private void optionalBool(Map<String, Node> fields, String key, BoolSetter setter) {
            Node node = fields.get(key);
            if (node == null) {
                return;
            }
            if (!isBool(node)) {
                throw fail(key, node, "must be true or false if present, got " + describe(node, false));
            }
            setter.accept(boolValue((ScalarNode) node));
        }

        private String requiredString(Map<String, Node> fields, MappingNode parent, String key, boolean secret) {
            Node node = fields.get(key);
            if (node == null) {
                throw fail(key, parent, "required string field is missing");
            }
            if (!isString(node)) {
                throw fail(key, node, "must be a string, got " + describe(node, secret));
            }
            return ((ScalarNode) node).getValue();
        }

        private MappingNode mapping(Node node, String path, String expectation) {
            if (!(node instanceof MappingNode)) {
                throw fail(path, node, expectation + ", got " + describe(node, false));
            }
            return (MappingNode) node;
        }

        private RegistrationException fail(String field, Node node, String problem) {
            return RegistrationException.at(source, field, line(node), problem);
        }
    }

    /** A setter taking a primitive boolean (avoids boxing noise at the call sites). */
    @FunctionalInterface
    private interface BoolSetter {
        void accept(boolean value);
    }

    /** Keys to values, in file order; a repeated key keeps its last value, as PyYAML does. */
    static Map<String, Node> entries(MappingNode mapping) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode key) {
                out.put(key.getValue(), t.getValueNode());
            }
        }
        return out;
    }

    /**
     * The first character Python's {@code urllib.parse.quote(s)} would change, or -1. Its default safe set is
     * {@code /} plus the unreserved characters: ASCII letters, digits and {@code _.-~}.
     */
    static int firstUrlUnsafeChar(String s) {
        return s.codePoints().filter(c -> !isUrlSafe(c)).findFirst().orElse(-1);
    }

    private static boolean isUrlSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_.-~/".indexOf(c) >= 0;
    }

    private static int line(Node node) {
        return node == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static boolean isString(Node node) {
        return node instanceof ScalarNode && Tag.STR.equals(node.getTag());
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static boolean isBool(Node node) {
        return node instanceof ScalarNode && Tag.BOOL.equals(node.getTag());
    }

    /** YAML 1.1 booleans: true/yes/on in any of their accepted spellings. */
    private static boolean boolValue(ScalarNode node) {
        String v = node.getValue().toLowerCase(Locale.ROOT);
        return v.equals("true") || v.equals("yes") || v.equals("on");
    }

    /** "the string "x"", "the number 3", "null", "a list"...; secrets are described by type only. */
    static String describe(Node node, boolean secret) {
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        String value = secret ? "" : " " + s.getValue();
        if (Tag.NULL.equals(tag)) {
            return "null";
        }
        if (Tag.STR.equals(tag)) {
            return secret ? "a string" : "the string \"" + s.getValue() + "\"";
        }
        if (Tag.BOOL.equals(tag)) {
            return secret ? "a boolean" : "the boolean" + value;
        }
        if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
            return secret ? "a number" : "the number" + value;
        }
        return secret ? "a value tagged " + tag : "the value" + value + " (tagged " + tag + ")";
    }
}
