package dev.fakehomeserver.internal.model;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every identifier one homeserver makes, in Synapse's shapes (room ids, v4+ event ids, device ids, media ids,
 * access tokens, opaque session and pagination tokens), drawn from one seed: the same seed and the same steps give
 * the same ids, so a failing run can be replayed (issue 20). The model owns one per engine, so servers running side
 * by side (parallel test classes) each have their own sequence and never draw from each other's.
 *
 * <p>Access tokens come from a stream of their own, so the ids are the same whether tokens are seeded or not:
 * with a seed chosen at random (the default) tokens come from {@link SecureRandom} and stay unguessable even to
 * someone who read the seed in a failure message; only a seed fixed by the test makes them follow the seed too.
 *
 * <p>{@link java.util.Random} rather than a faster generator: its sequence for a seed is specified, the same on
 * every JVM, and it is thread-safe (ids are drawn on the IO thread and on test threads).
 */
public final class Ids {
    private static final char[] LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final char[] UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** Mixed into the seed for the token stream, so it is not the id stream again. */
    private static final long TOKEN_STREAM = 0x746F6B656E73L;

    private final long seed;
    private final boolean fixed;
    private final Random random;
    private final Random tokens;
    private final AtomicLong nonces = new AtomicLong();

    private Ids(long seed, boolean fixed) {
        this.seed = seed;
        this.fixed = fixed;
        this.random = new Random(seed);
        this.tokens = fixed ? new Random(seed ^ TOKEN_STREAM) : new SecureRandom();
    }

    /**
     * Ids from {@code seed}; access tokens from it too only when {@code fixed} (a seed the test chose), else from
     * {@link SecureRandom}.
     */
    public static Ids seeded(long seed, boolean fixed) {
        return new Ids(seed, fixed);
    }

    /** A seed drawn at random, for a run that fixed none. */
    public static long randomSeed() {
        return new SecureRandom().nextLong();
    }

    public long seed() { return seed; }

    /** Whether the test fixed the seed (then access tokens follow it and are guessable). */
    public boolean fixed() { return fixed; }

    public String roomId(String server) {
        return "!" + draw(LETTERS, 18) + ":" + server;
    }

    /** 43 url-safe base64 characters, the shape of a room version 4+ event id. */
    public String eventId() {
        byte[] b = new byte[32];
        synchronized (random) {
            random.nextBytes(b);
        }
        return "$" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public String deviceId() {
        return draw(UPPER, 10);
    }

    public String mediaId() {
        return draw(LETTERS, 24);
    }

    /** An opaque token a client sends back (a UIA session, a pagination token): the shape of a media id. */
    public String opaque() {
        return draw(LETTERS, 24);
    }

    /** Digits for a generated localpart ({@code /register} without a username). */
    public String number() {
        return Long.toString(1_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 9_000_000_000L);
    }

    /**
     * A key unique within this server that nobody outside sees (an idempotency key for a request without a
     * txnId): a counter, so it does not move the seeded sequence.
     */
    public String nonce() {
        return Long.toString(nonces.incrementAndGet());
    }

    /** A Synapse-style {@code syt_} token: unguessable unless the test fixed the seed. */
    public String accessToken(String localpart) {
        String lp = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(localpart.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder("syt_").append(lp).append('_');
        synchronized (tokens) {
            for (int i = 0; i < 20; i++) {
                sb.append(LETTERS[tokens.nextInt(LETTERS.length)]);
            }
            sb.append('_');
            for (int i = 0; i < 6; i++) {
                sb.append(ALNUM[tokens.nextInt(ALNUM.length)]);
            }
        }
        return sb.toString();
    }

    private String draw(char[] alphabet, int n) {
        char[] out = new char[n];
        // One id's characters together: two threads drawing at once must not interleave within an id.
        synchronized (random) {
            for (int i = 0; i < n; i++) {
                out[i] = alphabet[random.nextInt(alphabet.length)];
            }
        }
        return new String(out);
    }
}
