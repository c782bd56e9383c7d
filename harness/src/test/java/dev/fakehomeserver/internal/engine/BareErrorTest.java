package dev.fakehomeserver.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.internal.http.Pipeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Never a 500 without a Matrix body (issue 17, item 8): when the heap is full, answering the first
 * {@link OutOfMemoryError} can fail with a second one, which escapes to Undertow; its bare 500 still gets
 * {@code {errcode, error}}. The failing step stands in for an endpoint that ran out of memory.
 */
class BareErrorTest {
    /** An error whose message cannot be built either, as when the heap is still full while it is answered. */
    private static final class HeapStillFull extends OutOfMemoryError {
        @Override
        public String toString() {
            throw new OutOfMemoryError("Java heap space (again)");
        }

        @Override
        public String getMessage() {
            throw new OutOfMemoryError("Java heap space (again)");
        }
    }

    @Test
    void answers_an_error_that_escapes_the_pipeline_with_a_matrix_body() throws IOException, InterruptedException {
        Pipeline failing = new Pipeline("test API", List.of((req, next) -> {
            throw new HeapStillFull();
        }));
        HttpServer server = new HttpServer("127.0.0.1", 0, 1024, ConnectionLimits.DEFAULT, failing, null);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.url() + "/_matrix/client/versions")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(500);
            // Before the fix: Undertow's bare 500, an empty body.
            assertThat(r.body()).contains("\"errcode\":\"M_UNKNOWN\"").contains("\"error\":");
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        } finally {
            server.stop();
        }
    }
}
