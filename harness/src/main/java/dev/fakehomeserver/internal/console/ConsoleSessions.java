package dev.fakehomeserver.internal.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How a browser gets into the console without the control token ever appearing in a URL, a page or a log: a
 * one-time link carries a login code in its fragment ({@code /_fakehs/console/#code=...}, which the browser never
 * sends to the server), the page trades it once for a session credential and keeps that in its session storage,
 * and the control API accepts that credential as it accepts the control token.
 *
 * <p>Codes are single use and expire ({@link #CODE_LIFETIME_MILLIS} unless minted for longer); at most
 * {@link #MAX_CODES} and {@link #MAX_SESSIONS} are kept, the oldest dropped first. Only SHA-256 digests are
 * stored, so a lookup compares digests, not secrets, and a heap dump shows none.
 */
public final class ConsoleSessions {
    /** How long a printed link stays usable by default: long enough to copy it from a terminal into a browser. */
    public static final long CODE_LIFETIME_MILLIS = 15 * 60 * 1000L;
    static final int MAX_CODES = 32;
    static final int MAX_SESSIONS = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LongSupplier nowMillis;
    /** Digest of a code to its expiry, oldest first. */
    private final LinkedHashMap<String, Long> codes = new LinkedHashMap<>();
    /** Digests of live session credentials, oldest first (the value is unused). */
    private final LinkedHashMap<String, Boolean> sessions = new LinkedHashMap<>();

    /** @param nowMillis the wall clock (not a test's virtual clock: a person follows the link in real time) */
    public ConsoleSessions(LongSupplier nowMillis) {
        this.nowMillis = nowMillis;
    }

    /** A fresh one-time login code, usable once within {@code lifetimeMillis}. */
    public synchronized String mintCode(long lifetimeMillis) {
        String code = random();
        codes.put(digest(code), nowMillis.getAsLong() + lifetimeMillis);
        trim(codes, MAX_CODES);
        return code;
    }

    /**
     * Trades a code for a session credential, once.
     *
     * @return the credential, or null when the code is unknown, used or expired
     */
    public synchronized String redeem(String code) {
        if (code == null) {
            return null;
        }
        Long expiry = codes.remove(digest(code));
        if (expiry == null || expiry < nowMillis.getAsLong()) {
            return null;
        }
        String session = "fhc_" + random();
        sessions.put(digest(session), Boolean.TRUE);
        trim(sessions, MAX_SESSIONS);
        return session;
    }

    /** Whether {@code credential} is a live session (the bytes of the bearer token as sent). */
    public synchronized boolean accepts(byte[] credential) {
        return credential.length > 0 && sessions.containsKey(digest(credential));
    }

    /** Ends a session (logout); unknown credentials are ignored. */
    public synchronized void end(byte[] credential) {
        sessions.remove(digest(credential));
    }

    private static void trim(LinkedHashMap<String, ?> map, int max) {
        Iterator<? extends Map.Entry<String, ?>> it = map.entrySet().iterator();
        while (map.size() > max && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** A random secret of 192 bits, URL-safe: the control token of an in-process console nobody configured. */
    public static String randomSecret() {
        return random();
    }

    private static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String digest(String secret) {
        return digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String digest(byte[] secret) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(secret));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
