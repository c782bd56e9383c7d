package dev.fakehomeserver.internal.model;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Identifier shapes like Synapse's: room ids, v4+ event ids, device ids, access tokens. */
public final class Ids {
    private static final SecureRandom SECURE = new SecureRandom();
    private static final char[] LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Ids() {}

    public static String roomId(String server) {
        return "!" + random(LETTERS, 18) + ":" + server;
    }

    /** 43 url-safe base64 characters, the shape of a room version 4+ event id. */
    public static String eventId() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return "$" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String deviceId() {
        return random("ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray(), 10);
    }

    public static String mediaId() {
        return random(LETTERS, 24);
    }

    /** A Synapse-style {@code syt_} token; the random part comes from a secure source. */
    public static String accessToken(String localpart) {
        String lp = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(localpart.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder("syt_").append(lp).append('_');
        for (int i = 0; i < 20; i++) {
            sb.append(LETTERS[SECURE.nextInt(LETTERS.length)]);
        }
        sb.append('_');
        for (int i = 0; i < 6; i++) {
            sb.append(ALNUM[SECURE.nextInt(ALNUM.length)]);
        }
        return sb.toString();
    }

    private static String random(char[] alphabet, int n) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
