package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.Version;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Response;
import dev.fakehomeserver.internal.http.Route;
import dev.fakehomeserver.internal.http.RouteTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The control API describes itself: {@code GET /_fakehs/v1/} lists every row of the route table (method, path,
 * whether it needs the token, and the one-line summary of its operation in the OpenAPI document), and
 * {@code GET /_fakehs/v1/openapi.json} serves that OpenAPI 3 document, from which a client in any language can
 * be generated. Neither needs the token: they describe the API, not the state.
 *
 * <p>The list is built from the live route table, so it cannot drift from what the router matches. The document
 * ({@code openapi.yaml} beside this class, written in YAML for people and served as JSON) is kept in step by
 * {@code ControlApiSelfDescriptionTest}, which fails when a route has no operation in it or an operation no
 * route. Adding a route means adding its operation there.
 *
 * <pre>
 * curl http://127.0.0.1:8008/_fakehs/v1/
 * # {"openapi":"/_fakehs/v1/openapi.json","endpoints":[{"method":"GET","path":"/_fakehs/v1/health",...}]}
 * </pre>
 */
final class ControlApiIndex {
    static final String INDEX = ControlApiRoutes.V1 + "/";
    static final String OPENAPI = ControlApiRoutes.V1 + "/openapi.json";
    private static final String RESOURCE = "openapi.yaml";

    private final Supplier<RouteTable> table;

    /** @param table the finished table this index describes (it contains the index's own rows) */
    ControlApiIndex(Supplier<RouteTable> table) {
        this.table = table;
    }

    void register(RouteTable.Builder r) {
        r.add("GET", INDEX, AuthMode.NONE, call -> index());
        r.add("GET", OPENAPI, AuthMode.NONE,
                call -> Response.bytes(200, Document.JSON, "application/json", Map.of()));
    }

    private ObjectNode index() {
        ObjectNode out = Json.object();
        out.put("name", "fake-homeserver control API");
        out.put("version", Version.current());
        out.put("openapi", OPENAPI);
        out.put("docs", "docs/standalone.md");
        ArrayNode list = out.putArray("endpoints");
        for (Route route : table.get().routes()) {
            list.addObject().put("method", route.method()).put("path", route.template())
                    .put("auth", route.auth() != AuthMode.NONE).put("description", summary(route));
        }
        return out;
    }

    /** The operation's summary; a route missing from the document says so (the test keeps that from shipping). */
    static String summary(Route route) {
        JsonNode op = Document.TREE.path("paths").path(route.template()).path(route.method().toLowerCase(Locale.ROOT));
        String summary = op.path("summary").asText("");
        return summary.isEmpty() ? "(not described in openapi.yaml)" : summary;
    }

    /** The OpenAPI document as a tree (for tests and the index) and as the bytes served; read once, on first use. */
    static JsonNode document() {
        return Document.TREE;
    }

    private static final class Document {
        static final ObjectNode TREE = load();
        static final byte[] JSON = Json.bytes(TREE);

        private static ObjectNode load() {
            try (InputStream in = ControlApiIndex.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " missing from the harness jar");
                }
                Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                ObjectNode tree = Json.MAPPER.valueToTree(yaml);
                ((ObjectNode) tree.get("info")).put("version", Version.current());   // the document says 0: the build fills it in
                return tree;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
