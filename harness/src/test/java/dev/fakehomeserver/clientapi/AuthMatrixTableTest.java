package dev.fakehomeserver.clientapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.fakehomeserver.CoreAccess;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Route;
import dev.fakehomeserver.testing.SampleWorld;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The full auth matrix: every route of the client-server route table against eight ways to present (or not) a
 * credential, each answer compared with the committed table {@code auth-matrix.txt} (one row per
 * {@code METHOD template}, {@code /r0} sharing the {@code /v3} row). A route without a row, or a row without a
 * route, fails the build: adding an endpoint means deciding, in that file, what each credential gets.
 *
 * <p>Each cell runs against a freshly reset {@link SampleWorld}, so cells do not depend on each other's side
 * effects. Besides the table, invariants that hold whatever the table says: no 5xx; a route that needs a token
 * answers 401 without a valid one and never 2xx; identity assertion outside the namespace or for an
 * unregistered user is 403 {@code M_FORBIDDEN} wherever a token is read; a route whose token Synapse reads late
 * ({@code AuthMode.LATE}) never answers 2xx without a valid one.
 *
 * <p>To regenerate the table after a deliberate change: {@code -DauthMatrix.update=true} rewrites the file
 * under {@code src/test/resources}; review the diff like code.
 */
class AuthMatrixTableTest {
    private static final String RESOURCE = "clientapi/auth-matrix.txt";
    private static final Path SOURCE = Path.of("src/test/resources", RESOURCE);
    private static final String V3 = "/_matrix/client/v3/";
    private static final String R0 = "/_matrix/client/r0/";

    /** One credential column: how the request is authenticated. */
    private record Column(String name, BiFunction<TestClient.Request, Ctx, TestClient.Request> apply) {}

    private record Ctx(SampleWorld world, String asToken) {}

    private static final List<Column> COLUMNS = List.of(
            new Column("none", (r, c) -> r),
            new Column("wrong", (r, c) -> r.token("not-a-real-token")),
            new Column("both", (r, c) -> r.token(c.world().userToken).query("access_token", c.world().userToken)),
            new Column("as", (r, c) -> r.token(c.asToken())),
            new Column("as+ghost", (r, c) -> r.token(c.asToken()).asUser(SampleWorld.GHOST)),
            new Column("as+outside", (r, c) -> r.token(c.asToken()).asUser(SampleWorld.ALICE)),
            new Column("as+unreg", (r, c) -> r.token(c.asToken()).asUser(SampleWorld.UNREGISTERED_GHOST)),
            new Column("user", (r, c) -> r.token(c.world().userToken)));

    private static ScriptedAppservice appservice;
    private static Homeserver hs;
    private static TestClient client;
    private static final Map<String, List<String>> OBSERVED = new ConcurrentSkipListMap<>();

    @BeforeAll
    static void start() {
        // A live appservice answering 200 {}: ping, alias and user queries succeed, as they would in a test suite.
        appservice = ScriptedAppservice.start();
        hs = Homeserver.builder().registration(SampleWorld.weather(appservice.url())).clock(new VirtualClock())
                .start();
        client = new TestClient(hs.url());
    }

    @AfterAll
    static void stop() throws IOException {
        hs.close();
        appservice.close();
        if (Boolean.getBoolean("authMatrix.update")) {
            Files.writeString(SOURCE, render(OBSERVED));
        }
    }

    static List<Route> routes() {
        return CoreAccess.core(hs).handler().routes().routes();
    }

    /** The row key: {@code METHOD template}, with {@code /r0/} written as {@code /v3/}. */
    static String key(Route r) {
        return r.method() + " " + r.template().replace(R0, V3);
    }

    static Map<String, List<String>> table() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (InputStream in = AuthMatrixTableTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+");
                assertThat(parts).as("row '" + l + "' needs METHOD, template and " + COLUMNS.size() + " cells")
                        .hasSize(2 + COLUMNS.size());
                List<String> cells = List.of(parts).subList(2, parts.length);
                assertThat(rows.put(parts[0] + " " + parts[1], cells)).as("duplicate row " + l).isNull();
            }
        }
        return rows;
    }

    @Test
    void every_route_has_a_row_and_every_row_a_route() throws IOException {
        List<String> routeKeys = routes().stream().map(AuthMatrixTableTest::key).distinct().sorted().toList();
        List<String> rowKeys = table().keySet().stream().sorted().toList();
        assertThat(routeKeys).as("routes without a row in " + RESOURCE).isSubsetOf(rowKeys);
        assertThat(rowKeys).as("rows of " + RESOURCE + " without a route").isSubsetOf(routeKeys);
    }

    @TestFactory
    Stream<DynamicTest> each_route_answers_each_credential_as_its_row_says() throws IOException {
        Map<String, List<String>> table = table();
        return routes().stream().map(route -> dynamicTest(route.toString(), () -> {
            List<String> observed = observe(route);
            OBSERVED.put(key(route), observed);
            checkInvariants(route, observed);
            List<String> expected = table.get(key(route));
            assertThat(expected).as("no row for " + key(route) + "; observed: " + observed).isNotNull();
            assertThat(observed).as(route + " (columns " + COLUMNS.stream().map(Column::name).toList() + ")")
                    .isEqualTo(expected);
        }));
    }

    private static List<String> observe(Route route) {
        List<String> cells = new ArrayList<>();
        for (Column col : COLUMNS) {
            hs.reset();
            SampleWorld w = SampleWorld.build(hs);
            TestClient.Request req = client.method(route.method(), w.path(route));
            if (!route.method().equals("GET")) {
                req.json("{}");
            }
            Reply r = col.apply().apply(req, new Ctx(w, hs.registration("weather").asToken())).send();
            cells.add(cell(r));
        }
        return cells;
    }

    private static String cell(Reply r) {
        if (r.status() < 400) {
            return Integer.toString(r.status());
        }
        String errcode;
        try {
            errcode = r.errcode();
        } catch (IllegalStateException notJson) {
            errcode = "NOT_JSON";
        }
        return r.status() + "/" + (errcode == null ? "-" : errcode);
    }

    private static void checkInvariants(Route route, List<String> cells) {
        Map<String, String> byColumn = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            byColumn.put(COLUMNS.get(i).name(), cells.get(i));
        }
        String what = route + " " + byColumn;
        assertThat(cells).as(what + ": no 5xx, ever").noneMatch(c -> c.startsWith("5"));
        assertThat(cells).as(what + ": errors are Matrix errors").noneMatch(c -> c.endsWith("NOT_JSON"));
        if (route.auth() == AuthMode.REQUIRED) {
            assertThat(byColumn.get("none")).as(what).isEqualTo("401/M_MISSING_TOKEN");
            assertThat(byColumn.get("both")).as(what).isEqualTo("401/M_MISSING_TOKEN");
        }
        if (route.auth() == AuthMode.LATE) {
            // Synapse validates the path or body first, so a refusal may be that 400; never a success.
            for (String column : List.of("none", "wrong", "both", "as+outside", "as+unreg")) {
                assertThat(byColumn.get(column)).as(what + ": " + column).doesNotStartWith("2");
            }
        } else if (route.auth() != AuthMode.NONE) {
            assertThat(byColumn.get("wrong")).as(what).isEqualTo("401/M_UNKNOWN_TOKEN");
            assertThat(byColumn.get("as+outside")).as(what).isEqualTo("403/M_FORBIDDEN");
            assertThat(byColumn.get("as+unreg")).as(what).isEqualTo("403/M_FORBIDDEN");
        }
    }

    private static String render(Map<String, List<String>> observed) {
        StringBuilder sb = new StringBuilder();
        sb.append("# The client-server API's auth matrix, checked by AuthMatrixTableTest: one row per route (the /r0\n")
                .append("# twin of a /v3 route shares its row), one cell per credential, each the status, or\n")
                .append("# status/errcode for an error (\"-\": no errcode, as user-interactive auth answers).\n")
                .append("# Credentials: none; wrong = an unknown token; both = a valid token in the header and in\n")
                .append("# ?access_token=; as = the as_token (the sender @weatherbot:test); as+ghost = ?user_id= a\n")
                .append("# registered user of the namespace; as+outside = ?user_id= a user outside it;\n")
                .append("# as+unreg = ?user_id= an unregistered user inside it; user = @alice:test's token.\n")
                .append("# Path parameters are SampleWorld's samples; bodies are {} (none for GET).\n")
                .append("# Regenerate with -DauthMatrix.update=true and review the diff.\n");
        Map<String, List<String>> sorted = new TreeMap<>(observed);
        int width = sorted.keySet().stream().mapToInt(String::length).max().orElse(0);
        sb.append(String.format("%-" + width + "s", "# METHOD template"));
        for (Column c : COLUMNS) {
            sb.append(String.format("  %-20s", c.name()));
        }
        sb.append('\n');
        sorted.forEach((k, cells) -> {
            sb.append(String.format("%-" + width + "s", k));
            for (String c : cells) {
                sb.append(String.format("  %-20s", c));
            }
            sb.setLength(sb.length() - (sb.length() - sb.toString().stripTrailing().length()));
            sb.append('\n');
        });
        return sb.toString();
    }
}
