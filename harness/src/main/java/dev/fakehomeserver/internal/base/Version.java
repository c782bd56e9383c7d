package dev.fakehomeserver.internal.base;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The harness's Maven version, from a resource Maven filters at build time ({@code version.properties} under
 * {@code src/main/resources-filtered}): it is in the library jar, the standalone jar and {@code target/classes}
 * alike, where a manifest entry would be only in the jars.
 *
 * <pre>{@code
 * System.out.println(Version.current());   // 0.1.0-SNAPSHOT
 * }</pre>
 */
public final class Version {
    private static final String VERSION = load();

    private Version() {}

    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties missing from the harness jar");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.startsWith("${")) {
                // Compiled by something other than Maven (an IDE without resource filtering).
                return "unknown (not built by Maven)";
            }
            return v;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read version.properties: " + e.getMessage(), e);
        }
    }
}
