package dev.fakehomeserver.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import org.junit.jupiter.api.Test;

/**
 * All media together stays within a budget (issue 17, item 8): media is kept in memory, and before the fix
 * uploads went on until the heap was full. An upload that would pass the budget is refused with 413
 * {@code M_TOO_LARGE} saying how much is used, whichever upload route it takes; a reset frees the budget.
 */
class MediaBudgetTest {
    @Test
    void refuses_an_upload_that_would_pass_the_media_budget_until_a_reset() {
        try (Homeserver hs = Homeserver.builder().maxMediaBytes(1000).start()) {
            String token = hs.user("@alice:test").accessToken();
            String upload = hs.url() + "/_matrix/media/v3/upload";
            byte[] six = new byte[600];
            assertThat(Wire.send("POST", upload, token, "application/octet-stream", six).status()).isEqualTo(200);

            Wire.Reply full = Wire.send("POST", upload, token, "application/octet-stream", six);
            assertThat(full.status()).as(full.toString()).isEqualTo(413);
            assertThat(full.errcode()).isEqualTo("M_TOO_LARGE");
            assertThat(full.error()).contains("600 of 1000 bytes used");

            // Create-then-upload counts against the same budget.
            String mxc = Wire.json("POST", hs.url() + "/_matrix/media/v1/create", token, "{}").json()
                    .path("content_uri").asText();
            String id = mxc.substring(mxc.lastIndexOf('/') + 1);
            Wire.Reply fill = Wire.send("PUT", upload + "/test/" + id, token, "application/octet-stream", six);
            assertThat(fill.status()).as(fill.toString()).isEqualTo(413);
            assertThat(Wire.send("PUT", upload + "/test/" + id, token, "application/octet-stream", new byte[400])
                    .status()).isEqualTo(200);

            hs.reset();
            String again = hs.user("@alice:test").accessToken();
            assertThat(Wire.send("POST", upload, again, "application/octet-stream", six).status()).isEqualTo(200);
        }
    }
}
