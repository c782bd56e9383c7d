package dev.fakehomeserver.junit5.scenarios;

import dev.fakehomeserver.Homeserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A bare client call for scenarios that need the fake to refuse something. */
final class Http {
    private Http() {}

    static int whoami(Homeserver hs, String token) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(hs.url() + "/_matrix/client/v3/account/whoami"))
                .header("Authorization", "Bearer " + token).GET().build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
