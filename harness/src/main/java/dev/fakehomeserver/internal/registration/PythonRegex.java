package dev.fakehomeserver.internal.registration;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compiles a namespace regex written for Python's {@code re} (what Synapse uses) as a Java {@link Pattern}.
 *
 * <p>Registration files are written for Synapse, so a few Python-only spellings are translated first:
 * <ul>
 *   <li>{@code (?P<name>...)} becomes {@code (?<name>...)} and {@code (?P=name)} becomes {@code \k<name>}.
 *       Java group names allow only letters and digits, so a Python name such as {@code my_name} is renamed
 *       ({@code pyGroup1}); the renaming is consistent within one regex, so back-references still work.</li>
 *   <li>{@code \Z} becomes {@code \z}: in Python it means "end of string", in Java it would also allow a final
 *       line terminator.</li>
 *   <li>Inside a character class, {@code [} and {@code &} are escaped: Python reads them literally, Java would
 *       read a nested class or an intersection ({@code &&}).</li>
 * </ul>
 * Other differences are not translated: Java accepts some syntax Python refuses (possessive quantifiers,
 * {@code \p{...}}), and refuses some Python syntax ({@code (?#comment)}, {@code {,n}}), which then fails to load.
 */
public final class PythonRegex {
    private PythonRegex() {
    }

    /** Translates and compiles; throws {@link java.util.regex.PatternSyntaxException} if Java cannot compile it. */
    public static Pattern compile(String pythonRegex) {
        return Pattern.compile(toJava(pythonRegex));
    }

    /** The Java spelling of a Python regex (see the class comment for what changes). */
    public static String toJava(String py) {
        StringBuilder out = new StringBuilder(py.length() + 8);
        Map<String, String> names = new HashMap<>();
        boolean inClass = false;
        int classStart = -1; // index of the first character after "[" or "[^"
        int i = 0;
        while (i < py.length()) {
            char c = py.charAt(i);
            if (c == '\\' && i + 1 < py.length()) {
                char next = py.charAt(i + 1);
                out.append(!inClass && next == 'Z' ? "\\z" : py.substring(i, i + 2));
                i += 2;
            } else if (inClass) {
                if (c == ']' && i != classStart) {
                    inClass = false;
                    out.append(c);
                } else if (c == '[' || c == '&') {
                    out.append('\\').append(c);
                } else {
                    out.append(c);
                }
                i++;
            } else if (c == '[') {
                inClass = true;
                classStart = py.startsWith("[^", i) ? i + 2 : i + 1;
                out.append(py, i, classStart);
                i = classStart;
            } else if (py.startsWith("(?P<", i) && py.indexOf('>', i) > 0) {
                int end = py.indexOf('>', i);
                out.append("(?<").append(javaName(py.substring(i + 4, end), names)).append('>');
                i = end + 1;
            } else if (py.startsWith("(?P=", i) && py.indexOf(')', i) > 0) {
                int end = py.indexOf(')', i);
                out.append("\\k<").append(javaName(py.substring(i + 4, end), names)).append('>');
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String javaName(String pythonName, Map<String, String> names) {
        if (pythonName.matches("[A-Za-z][A-Za-z0-9]*")) {
            return pythonName;
        }
        return names.computeIfAbsent(pythonName, n -> "pyGroup" + (names.size() + 1));
    }
}
