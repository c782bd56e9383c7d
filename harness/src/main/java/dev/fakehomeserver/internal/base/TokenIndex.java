package dev.fakehomeserver.internal.base;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens to whatever they stand for, looked up without timing leaks: the map is keyed by the SHA-256 of
 * the token, and the stored token is compared with {@link MessageDigest#isEqual}, which takes the same time
 * whatever the first differing byte.
 *
 * @param <T> what a token stands for
 */
public final class TokenIndex<T> {
    private record Entry<T>(byte[] token, T value) {}

    private final Map<String, Entry<T>> byHash = new ConcurrentHashMap<>();

    public void put(String token, T value) {
        byHash.put(hash(token), new Entry<>(token.getBytes(StandardCharsets.UTF_8), value));
    }

    public T get(String token) {
        Entry<T> e = byHash.get(hash(token));
        if (e == null || !MessageDigest.isEqual(e.token, token.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return e.value;
    }

    public void remove(String token) {
        byHash.remove(hash(token));
    }

    public void removeIf(java.util.function.Predicate<T> which) {
        byHash.values().removeIf(e -> which.test(e.value));
    }

    public void clear() {
        byHash.clear();
    }

    /**
     * Whether two secrets are the same, in time that does not depend on where they first differ; the one way
     * secrets are compared outside an index (a source scan test forbids {@code equals} on them).
     */
    public static boolean same(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** One digest per thread: looking one up for every request was a noticeable part of an authenticated call. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    private static String hash(String token) {
        // digest() also resets the instance for the next call.
        byte[] d = SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d);
    }
}
