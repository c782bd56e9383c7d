package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.Version;
import dev.fakehomeserver.internal.console.ChangeWaiters;
import dev.fakehomeserver.internal.console.ConsoleSessions;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Route;
import dev.fakehomeserver.testing.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control API describes itself, and the description cannot drift: the index is the route table, and the
 * OpenAPI document has an operation for every route of the table and none other (the route table is walked
 * here, not the index). The document's structure is checked as OpenAPI 3 with Jackson: required fields, every
 * {@code $ref} resolving, every path parameter declared, security matching the route's auth mode.
 */
class ControlApiSelfDescriptionTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private final Homeserver hs = Homeserver.builder().controlApi("t").start();
    private final TestClient c = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
    }

    /** The whole table, console rows included, built as the facade builds it. */
    private List<Route> table() {
        return ControlApi.routes(hs, new ConsoleSessions(System::currentTimeMillis),
                new ChangeWaiters(() -> 0, listener -> { }, "test")).routes();
    }

    @Test
    void the_index_lists_every_route_of_the_table_with_a_description_and_needs_no_token() {
        TestClient.Reply reply = c.get("/_fakehs/v1/").send();
        assertThat(reply.status()).isEqualTo(200);
        JsonNode index = reply.json();
        assertThat(index.get("openapi").asText()).isEqualTo("/_fakehs/v1/openapi.json");
        assertThat(index.get("version").asText()).isEqualTo(Version.current());
        List<String> listed = new ArrayList<>();
        for (JsonNode e : index.get("endpoints")) {
            listed.add(e.get("method").asText() + " " + e.get("path").asText() + " auth=" + e.get("auth").asBoolean());
            String description = e.get("description").asText();
            assertThat(description).as(e.toString()).isNotBlank().doesNotContain("\n")
                    .doesNotContain("not described");
        }
        List<String> expected = table().stream()
                .map(r -> r.method() + " " + r.template() + " auth=" + (r.auth() != AuthMode.NONE)).toList();
        assertThat(listed).containsExactlyElementsOf(expected);
        assertThat(listed).contains("GET /_fakehs/v1/rooms/{roomId}/timeline auth=true", "GET /_fakehs/v1/ auth=false",
                "POST /_fakehs/v1/console/login auth=false");
    }

    @Test
    void every_route_of_the_table_is_an_operation_of_the_openapi_document_and_every_operation_a_route() {
        JsonNode doc = served();
        Set<String> routes = new LinkedHashSet<>();
        for (Route r : table()) {
            routes.add(r.method().toLowerCase(Locale.ROOT) + " " + r.template());
            JsonNode op = doc.path("paths").path(r.template()).path(r.method().toLowerCase(Locale.ROOT));
            assertThat(op.isObject()).as("%s is not in openapi.yaml", r).isTrue();
            assertThat(op.path("summary").asText()).as("%s summary", r).isNotBlank().doesNotContain("\n");
            // A route without a token says so in the document: security: [] overrides the global requirement.
            boolean open = op.has("security") && op.get("security").isEmpty();
            assertThat(open).as("%s: security: [] exactly when the route needs no token", r)
                    .isEqualTo(r.auth() == AuthMode.NONE);
        }
        Set<String> operations = new LinkedHashSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                operations.add(m + " " + p.getKey());
            }
        }));
        assertThat(operations).as("operations of openapi.yaml").containsExactlyInAnyOrderElementsOf(routes);
    }

    @Test
    void the_document_is_structurally_openapi_3() {
        JsonNode doc = served();
        assertThat(doc.path("openapi").asText()).startsWith("3.0.");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isEqualTo(Version.current());
        assertThat(doc.path("paths").isObject()).isTrue();
        Set<String> operationIds = new LinkedHashSet<>();
        doc.get("paths").fields().forEachRemaining(p -> {
            String path = p.getKey();
            assertThat(path).startsWith("/_fakehs/v1/");
            Set<String> declaredAtPath = pathParams(p.getValue().path("parameters"), doc);
            p.getValue().fields().forEachRemaining(o -> {
                if (!METHODS.contains(o.getKey())) {
                    assertThat(o.getKey()).as(path).isIn("parameters", "summary", "description");
                    return;
                }
                JsonNode op = o.getValue();
                String where = o.getKey() + " " + path;
                assertThat(operationIds.add(op.path("operationId").asText())).as("%s: unique operationId", where).isTrue();
                assertThat(op.path("responses").size()).as("%s responses", where).isPositive();
                op.get("responses").fieldNames().forEachRemaining(code ->
                        assertThat(code).as(where).matches("[1-5][0-9][0-9]|default"));
                Set<String> declared = new LinkedHashSet<>(declaredAtPath);
                declared.addAll(pathParams(op.path("parameters"), doc));
                Set<String> inTemplate = new LinkedHashSet<>();
                Matcher m = PARAM.matcher(path);
                while (m.find()) {
                    inTemplate.add(m.group(1));
                }
                assertThat(declared).as("%s path parameters", where).isEqualTo(inTemplate);
            });
        });
        // Every reference resolves inside the document.
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as("$ref %s resolves", ref).isFalse();
        }
        assertThat(doc.at("/components/securitySchemes/controlToken/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void the_document_needs_no_token_and_is_json() {
        TestClient.Reply reply = c.get("/_fakehs/v1/openapi.json").send();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(Json.parse(reply.bytes()).isObject()).isTrue();
    }

    /**
     * docs/standalone.md names every route in a heading ({@code `METHOD /_fakehs/v1/...`}) and has a curl example
     * of its path (the literal segments before its first parameter and after its last).
     */
    @Test
    void docs_standalone_md_has_every_route_with_a_curl_example() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "standalone.md"));
        List<String> curls = curlCommands(docs);
        for (Route r : table()) {
            assertThat(docs).as("docs/standalone.md names %s", r).contains("`" + r.method() + " " + r.template() + "`");
            String t = r.template();
            String head = t.contains("{") ? t.substring(0, t.indexOf('{')) : t;
            String tail = t.contains("}") ? t.substring(t.lastIndexOf('}') + 1) : "";
            assertThat(curls).as("a curl example of %s", r)
                    .anyMatch(l -> l.contains("$HS" + head) && l.contains(tail) && curlMethodFits(l, r.method()));
        }
    }

    /** Each curl command of the examples, its continuation lines (a wrapped body, a final backslash) joined. */
    private static List<String> curlCommands(String docs) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : docs.lines().map(String::strip).toList()) {
            boolean starts = line.startsWith("curl ");
            if (current != null && (starts || line.isEmpty() || line.startsWith("#") || line.startsWith("```"))) {
                out.add(current.toString());
                current = null;
            }
            if (starts) {
                current = new StringBuilder(line);
            } else if (current != null) {
                current.append(' ').append(line);
            }
        }
        if (current != null) {
            out.add(current.toString());
        }
        return out;
    }

    private static boolean curlMethodFits(String curl, String method) {
        boolean explicit = curl.contains("-X " + method);
        boolean body = curl.contains(" -d ") || curl.contains("--data-binary");
        return switch (method) {
            case "GET" -> !curl.contains("-X ") && !body || curl.contains("-o ");
            case "POST" -> explicit || body && !curl.contains("-X ");
            default -> explicit;
        };
    }

    private JsonNode served() {
        TestClient.Reply reply = c.get("/_fakehs/v1/openapi.json").send();
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    private static Set<String> pathParams(JsonNode parameters, JsonNode doc) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode p : parameters) {
            JsonNode param = p.has("$ref") ? doc.at(p.get("$ref").asText().substring(1)) : p;
            assertThat(param.path("name").asText()).isNotBlank();
            assertThat(param.path("in").asText()).isIn("path", "query", "header", "cookie");
            if (param.path("in").asText().equals("path")) {
                assertThat(param.path("required").asBoolean()).as("path parameter %s required", param).isTrue();
                out.add(param.get("name").asText());
            }
        }
        return out;
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }
}
