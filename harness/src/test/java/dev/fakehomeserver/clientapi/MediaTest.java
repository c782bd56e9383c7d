package dev.fakehomeserver.clientapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.testing.Fixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Media over raw HTTP: uploads are bytes, not JSON, and downloads are checked header by header. */
class MediaTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    @AutoClose
    private final Fixture fx = Fixture.start(b -> b.maxUploadBytes(1024));
    private String alice;

    @BeforeEach
    void setUp() {
        alice = fx.register("alice");
    }

    private HttpResponse<byte[]> send(String method, String pathAndQuery, String token, String contentType,
                                      byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.hs.url() + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return MAPPER.readTree(r.body());
    }

    private String upload(byte[] bytes, String type, String filename) throws Exception {
        var r = send("POST", "/_matrix/media/v3/upload" + (filename == null ? "" : "?filename=" + filename), alice,
                type, bytes);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return json(r).path("content_uri").asText();
    }

    private static String serverAndId(String mxc) {
        return mxc.substring("mxc://".length());
    }

    @Test
    void an_upload_round_trips_byte_for_byte_with_type_and_file_name() throws Exception {
        byte[] bytes = new byte[700];
        new Random(7).nextBytes(bytes);
        String mxc = upload(bytes, "image/png", "cat.png");
        assertThat(mxc).startsWith("mxc://test/");
        var r = send("GET", "/_matrix/client/v1/media/download/" + serverAndId(mxc), alice, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(bytes);
        assertThat(r.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(r.headers().firstValue("Content-Disposition")).contains("inline; filename=cat.png");
    }

    @Test
    void the_legacy_download_needs_no_token_and_takes_a_file_name_in_the_path() throws Exception {
        String mxc = upload("hello".getBytes(), "application/pdf", null);
        var r = send("GET", "/_matrix/media/v3/download/" + serverAndId(mxc) + "/report.pdf", null, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body())).isEqualTo("hello");
        assertThat(r.headers().firstValue("Content-Disposition")).contains("attachment; filename=report.pdf");
        var r0 = send("GET", "/_matrix/media/r0/download/" + serverAndId(mxc), null, null, null);
        assertThat(r0.statusCode()).isEqualTo(200);
    }

    @Test
    void a_non_ascii_file_name_is_sent_in_rfc_5987_form() throws Exception {
        String mxc = upload("x".getBytes(), "text/plain", "caf%C3%A9.txt");
        var r = send("GET", "/_matrix/client/v1/media/download/" + serverAndId(mxc), alice, null, null);
        assertThat(r.headers().firstValue("Content-Disposition")).contains("inline; filename*=utf-8''caf%C3%A9.txt");
    }

    @Test
    void the_authenticated_download_requires_a_token() throws Exception {
        String mxc = upload("x".getBytes(), "text/plain", null);
        var r = send("GET", "/_matrix/client/v1/media/download/" + serverAndId(mxc), null, null, null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("errcode").asText()).isEqualTo("M_MISSING_TOKEN");
    }

    @Test
    void unknown_media_is_404_M_NOT_FOUND() throws Exception {
        var r = send("GET", "/_matrix/client/v1/media/download/test/nope", alice, null, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("errcode").asText()).isEqualTo("M_NOT_FOUND");
        // Remote media: Synapse 1.94's 403 "Federation denied" (the media conversation), or 404 when the client
        // says allow_remote=false.
        var remote = send("GET", "/_matrix/media/v3/download/elsewhere.org/abc", null, null, null);
        assertThat(remote.statusCode()).isEqualTo(403);
        assertThat(json(remote).path("error").asText()).isEqualTo("Federation denied with elsewhere.org.");
        var local = send("GET", "/_matrix/media/v3/download/elsewhere.org/abc?allow_remote=false", null, null, null);
        assertThat(local.statusCode()).isEqualTo(404);
    }

    @Test
    void uploads_and_downloads_under_synapses_legacy_v1_prefix_and_refuses_a_filename_that_is_not_utf8()
            throws Exception {
        var up = send("POST", "/_matrix/media/v1/upload?filename=a.txt", alice, "text/plain", "hi".getBytes());
        assertThat(up.statusCode()).isEqualTo(200);
        String mediaId = json(up).path("content_uri").asText().substring("mxc://test/".length());
        var down = send("GET", "/_matrix/media/v1/download/test/" + mediaId, null, null, null);
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(new String(down.body())).isEqualTo("hi");
        var bad = send("POST", "/_matrix/media/v3/upload?filename=%FF", alice, "text/plain", "x".getBytes());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("error").asText()).isEqualTo("Invalid UTF-8 filename parameter");
    }

    @Test
    void an_upload_over_the_limit_is_413_M_TOO_LARGE() throws Exception {
        var r = send("POST", "/_matrix/media/v3/upload", alice, "application/octet-stream", new byte[1025]);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).path("errcode").asText()).isEqualTo("M_TOO_LARGE");
    }

    @Test
    void an_upload_without_a_token_is_401() throws Exception {
        var r = send("POST", "/_matrix/media/r0/upload", null, "text/plain", "x".getBytes());
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void config_reports_the_upload_limit_on_both_paths() throws Exception {
        for (String p : new String[] {"/_matrix/media/v3/config", "/_matrix/client/v1/media/config"}) {
            var r = send("GET", p, alice, null, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).path("m.upload.size").asLong()).isEqualTo(1024);
        }
    }

    @Test
    void thumbnails_return_the_original_bytes() throws Exception {
        String mxc = upload("pixels".getBytes(), "image/jpeg", null);
        var r = send("GET", "/_matrix/client/v1/media/thumbnail/" + serverAndId(mxc) + "?width=32&height=32", alice,
                null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body())).isEqualTo("pixels");
        assertThat(r.headers().firstValue("Content-Type")).contains("image/jpeg");
        var legacy = send("GET", "/_matrix/media/v3/thumbnail/" + serverAndId(mxc) + "?width=32&height=32&method=crop",
                null, null, null);
        assertThat(legacy.statusCode()).isEqualTo(200);
    }

    @Test
    void media_that_is_not_an_image_has_no_thumbnail_400_M_UNKNOWN() throws Exception {
        String mxc = upload("{}".getBytes(), "application/json", null);
        var r = send("GET", "/_matrix/media/v3/thumbnail/" + serverAndId(mxc) + "?width=32&height=32", null, null,
                null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("errcode").asText()).isEqualTo("M_UNKNOWN");
        assertThat(json(r).path("error").asText()).startsWith("Cannot find any thumbnails for the requested media");
    }

    @Test
    void a_thumbnail_without_width_is_400_M_MISSING_PARAM() throws Exception {
        String mxc = upload("pixels".getBytes(), "image/jpeg", null);
        var r = send("GET", "/_matrix/client/v1/media/thumbnail/" + serverAndId(mxc) + "?height=32", alice, null,
                null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("errcode").asText()).isEqualTo("M_MISSING_PARAM");
    }

    @Test
    void create_then_upload_fills_the_reserved_id_once() throws Exception {
        var created = send("POST", "/_matrix/media/v1/create", alice, null, null);
        assertThat(created.statusCode()).isEqualTo(200);
        String mxc = json(created).path("content_uri").asText();
        var put = send("PUT", "/_matrix/media/v3/upload/" + serverAndId(mxc) + "?filename=a.txt", alice,
                "text/plain", "late".getBytes());
        assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(200);
        var r = send("GET", "/_matrix/client/v1/media/download/" + serverAndId(mxc), alice, null, null);
        assertThat(new String(r.body())).isEqualTo("late");
        var again = send("PUT", "/_matrix/media/v3/upload/" + serverAndId(mxc), alice, "text/plain", "x".getBytes());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("errcode").asText()).isEqualTo("M_CANNOT_OVERWRITE_MEDIA");
    }

    @Test
    void only_the_reserving_user_may_fill_an_id() throws Exception {
        String mxc = json(send("POST", "/_matrix/media/v1/create", alice, null, null)).path("content_uri").asText();
        String bob = fx.register("bob");
        var r = send("PUT", "/_matrix/media/v3/upload/" + serverAndId(mxc), bob, "text/plain", "x".getBytes());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("errcode").asText()).isEqualTo("M_FORBIDDEN");
        var unknown = send("PUT", "/_matrix/media/v3/upload/test/neverreserved", alice, "text/plain", "x".getBytes());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void reset_forgets_media() throws Exception {
        String mxc = upload("x".getBytes(), "text/plain", null);
        fx.hs.reset();
        var r = send("GET", "/_matrix/media/v3/download/" + serverAndId(mxc), null, null, null);
        assertThat(r.statusCode()).isEqualTo(404);
    }
}
