package dev.fakehomeserver.internal.registration;

import dev.fakehomeserver.Registration;
import java.nio.file.Path;

/** Placeholder until the real loader lands on this branch. */
public final class RegistrationLoader {
    private RegistrationLoader() {}

    public static Registration fromPath(Path file) {
        throw new UnsupportedOperationException("not yet");
    }

    public static Registration fromClasspath(String resource, ClassLoader loader) {
        throw new UnsupportedOperationException("not yet");
    }

    public static Registration fromString(String yaml, String sourceName) {
        throw new UnsupportedOperationException("not yet");
    }
}
