package dev.fakehomeserver.internal.registration;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Generates a few concrete strings a namespace regex matches, to look for a string two regexes both match.
 *
 * <p>It walks the regex once: a literal gives itself, {@code .} gives {@code a}, a character class gives one
 * member, {@code \d}/{@code \w}/{@code \s} give {@code 0}/{@code a}/a space, anchors and look-arounds give nothing.
 * {@code X*} and {@code X?} give both zero and one repetition, {@code X+} one, {@code X{m,n}} m (at least one), and
 * every branch of {@code |} is kept, up to {@value #MAX} samples. Anything it cannot follow makes a sample that the
 * regex does not match; such samples are dropped, so every sample returned is a real match
 * ({@link java.util.regex.Matcher#lookingAt()}).
 */
final class RegexSamples {
    static final int MAX = 32;
    private static final String CLASS_CANDIDATES = "a0_x-.A:";

    private final String r;
    private int i;

    private RegexSamples(String regex) {
        this.r = regex;
    }

    /** Up to {@value #MAX} distinct strings matched by {@code regex}; empty if it cannot be followed at all. */
    static List<String> of(String regex) {
        List<String> raw;
        try {
            raw = new RegexSamples(regex).alternation();
        } catch (RuntimeException e) {
            return List.of(); // malformed or too unusual: no samples, the other checks still apply
        }
        Pattern p = PythonRegex.compile(regex);
        return new LinkedHashSet<>(raw).stream().filter(s -> RegexBudget.lookingAt(p, s)).toList();
    }

    private List<String> alternation() {
        List<String> out = new ArrayList<>(sequence());
        while (i < r.length() && r.charAt(i) == '|') {
            i++;
            out.addAll(sequence());
        }
        return out.size() > MAX ? out.subList(0, MAX) : out;
    }

    private List<String> sequence() {
        List<String> acc = List.of("");
        while (i < r.length() && r.charAt(i) != '|' && r.charAt(i) != ')') {
            acc = cross(acc, repeat(atom()));
        }
        return acc;
    }

    private List<String> atom() {
        char c = r.charAt(i);
        switch (c) {
            case '(':
                return group();
            case '[':
                return List.of(characterClass());
            case '.':
                i++;
                return List.of("a");
            case '^':
            case '$':
                i++;
                return List.of("");
            case '\\':
                return escape();
            default:
                i++;
                return List.of(String.valueOf(c));
        }
    }

    private List<String> group() {
        i++; // "("
        boolean discard = false;
        if (r.startsWith("?P=", i)) { // back-reference: unknown text, the sample will be filtered out if wrong
            i = r.indexOf(')', i) + 1;
            return List.of("");
        } else if (r.startsWith("?P<", i) || (r.startsWith("?<", i) && !r.startsWith("?<=", i)
                && !r.startsWith("?<!", i))) {
            i = r.indexOf('>', i) + 1;
        } else if (r.startsWith("?:", i)) {
            i += 2;
        } else if (r.startsWith("?=", i) || r.startsWith("?!", i)) {
            i += 2;
            discard = true;
        } else if (r.startsWith("?<=", i) || r.startsWith("?<!", i)) {
            i += 3;
            discard = true;
        } else if (r.startsWith("?", i)) { // inline flags: (?i) or (?i:...)
            i++;
            while (Character.isLetter(r.charAt(i)) || r.charAt(i) == '-') {
                i++;
            }
            if (r.charAt(i++) == ')') {
                return List.of("");
            }
        }
        List<String> inner = alternation();
        if (r.charAt(i) != ')') {
            throw new IllegalArgumentException("unclosed group");
        }
        i++;
        return discard ? List.of("") : inner;
    }

    private String characterClass() {
        int start = i;
        i++;
        if (r.charAt(i) == '^') {
            i++;
        }
        if (r.charAt(i) == ']') {
            i++;
        }
        StringBuilder members = new StringBuilder();
        while (r.charAt(i) != ']') {
            if (r.charAt(i) == '\\') {
                i++;
            }
            members.append(r.charAt(i++));
        }
        i++;
        Pattern cls = PythonRegex.compile(r.substring(start, i));
        for (char candidate : (members + CLASS_CANDIDATES).toCharArray()) {
            if (cls.matcher(String.valueOf(candidate)).matches()) {
                return String.valueOf(candidate);
            }
        }
        return "a"; // nothing fits: the sample gets filtered out
    }

    private List<String> escape() {
        char e = r.charAt(i + 1);
        i += 2;
        return switch (e) {
            case 'd' -> List.of("0");
            case 'w', 'D', 'S' -> List.of("a");
            case 'W' -> List.of("-");
            case 's' -> List.of(" ");
            case 'b', 'B', 'A', 'Z', 'z', 'G' -> List.of("");
            case 'n' -> List.of("\n");
            case 't' -> List.of("\t");
            default -> Character.isDigit(e) ? List.of("") : List.of(String.valueOf(e));
        };
    }

    /** Applies a quantifier following the atom, if any. */
    private List<String> repeat(List<String> atom) {
        if (i >= r.length()) {
            return atom;
        }
        char q = r.charAt(i);
        List<String> out;
        if (q == '*' || q == '?') {
            i++;
            out = new ArrayList<>();
            out.add("");
            out.addAll(atom);
        } else if (q == '+') {
            i++;
            out = atom;
        } else if (q == '{' && r.substring(i).matches("\\{\\d+(,\\d*)?}[\\s\\S]*")) {
            int close = r.indexOf('}', i);
            int min = Integer.parseInt(r.substring(i + 1, close).split(",")[0]);
            i = close + 1;
            out = atom;
            for (int k = 1; k < Math.max(min, 1); k++) {
                out = cross(out, atom);
            }
        } else {
            return atom;
        }
        if (i < r.length() && (r.charAt(i) == '?' || r.charAt(i) == '+')) {
            i++; // lazy or possessive: same strings
        }
        return out;
    }

    private static List<String> cross(List<String> left, List<String> right) {
        List<String> out = new ArrayList<>();
        for (String a : left) {
            for (String b : right) {
                if (out.size() == MAX) {
                    return out;
                }
                out.add(a + b);
            }
        }
        return out;
    }
}
