package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.CrossSigningKeys;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.model.Services;
import java.util.Base64;
import java.util.Map;

/**
 * Cross-signing as far as clients need it to set themselves up: {@code /keys/device_signing/upload} behind
 * user-interactive auth (every upload, as Synapse 1.94 without MSC3967 asks), with Synapse's shape checks of
 * {@code upload_signing_keys_for_user} (the key's user and usage, one ed25519 key of 32 bytes for the master
 * key); {@code /keys/signatures/upload} answers the failures Synapse gives when the signing key is missing.
 * No signature is verified (the fake does no cryptography), and uploaded signatures are not stored.
 */
public final class CrossSigningEndpoints {
    static final String[] USAGES = {"master", "self_signing", "user_signing"};
    private final HomeserverModel model;
    private final UserInteractiveAuth uia;

    public CrossSigningEndpoints(Services services) {
        this.model = services.model();
        this.uia = new UserInteractiveAuth(services);
    }

    public void register(RouteTable.Builder r) {
        // Synapse registers it for v3 only (and unstable), not r0.
        r.add("POST", "/_matrix/client/v3/keys/device_signing/upload", AuthMode.REQUIRED, this::deviceSigning);
        r.add("POST", "/_matrix/client/unstable/keys/device_signing/upload", AuthMode.REQUIRED, this::deviceSigning);
        r.clientWithUnstable("POST", "/keys/signatures/upload", AuthMode.REQUIRED, this::signatures);
    }

    private Object deviceSigning(Call c) {
        Requester r = c.who();
        ObjectNode body = c.object();
        Object challenge = uia.check(c, r, UserInteractiveAuth.authField(body));
        if (challenge != null) {
            return challenge;
        }
        String userId = r.userId();
        return model.write(() -> {
            CrossSigningKeys keys = model.crossSigningKeys();
            JsonNode master = body.get("master_key");
            if (master != null) {
                check(master, userId, "master");
            } else {
                master = keys.get(userId, "master");
            }
            if (master == null) {
                throw MatrixException.missingParam("No master key available");
            }
            if (!hasOneEd25519Key(master)) {
                throw MatrixException.invalidParam("Invalid master key");
            }
            for (String usage : new String[] {"self_signing", "user_signing"}) {
                if (body.has(usage + "_key")) {
                    check(body.get(usage + "_key"), userId, usage);
                }
            }
            for (String usage : USAGES) {
                if (body.get(usage + "_key") instanceof ObjectNode key) {
                    keys.put(userId, usage, key);
                }
            }
            model.signal().bump();
            return Json.object();
        });
    }

    /** Synapse's {@code _check_cross_signing_key}, without the signature check. */
    private static void check(JsonNode key, String userId, String usage) {
        boolean usageListed = false;
        for (JsonNode u : key.path("usage")) {
            usageListed |= usage.equals(u.asText());
        }
        if (!key.isObject() || !userId.equals(key.path("user_id").textValue()) || !usageListed) {
            throw MatrixException.invalidParam("Invalid " + usage + " key");
        }
    }

    /** {@code get_verify_key_from_cross_signing_key}: exactly one key, {@code ed25519:}, 32 bytes of base64. */
    private static boolean hasOneEd25519Key(JsonNode key) {
        JsonNode keys = key.path("keys");
        if (!keys.isObject() || keys.size() != 1) {
            return false;
        }
        Map.Entry<String, JsonNode> only = keys.fields().next();
        if (!only.getKey().startsWith("ed25519:") || !only.getValue().isTextual()) {
            return false;
        }
        try {
            String b64 = only.getValue().asText().replace('-', '+').replace('_', '/');
            return Base64.getDecoder().decode(b64 + "=".repeat((4 - b64.length() % 4) % 4)).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * {@code SignaturesUploadServlet}: every user's value an object; the signatures of one's own keys need a
     * self-signing key, those of other users' keys a user-signing key, else that key is a 404 failure.
     */
    private Object signatures(Call c) {
        Requester r = c.who();
        ObjectNode body = c.object();
        body.fields().forEachRemaining(e -> {
            if (!e.getValue().isObject()) {
                throw MatrixException.invalidParam("Invalid parameter");
            }
        });
        return model.read(() -> {
            ObjectNode out = Json.object();
            ObjectNode failures = out.putObject("failures");
            body.fields().forEachRemaining(byUser -> {
                boolean own = byUser.getKey().equals(r.userId());
                String usage = own ? "self_signing" : "user_signing";
                if (model.crossSigningKeys().get(r.userId(), usage) != null) {
                    return;
                }
                ObjectNode userFailures = failures.putObject(byUser.getKey());
                byUser.getValue().fieldNames().forEachRemaining(keyId -> userFailures.putObject(keyId)
                        .put("status", 404).put("errcode", "M_NOT_FOUND")
                        .put("message", "404: No " + usage + " key found for " + r.userId()));
            });
            return out;
        });
    }
}
