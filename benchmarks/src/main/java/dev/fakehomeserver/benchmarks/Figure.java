package dev.fakehomeserver.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * One figure from several interleaved rounds: in each round the fake and its ceiling are measured one after the
 * other, so a burst of load from elsewhere on the machine hits both; the figure is the median of the per-round
 * quantity (the ratio fake/ceiling, or the fake's value where the target is absolute) with its min-max spread.
 *
 * <p>The verdict is {@link Verdict#NOISY} when the spread is wider than the distance from the median to the
 * target: such a figure cannot tell met from missed, and says so instead of guessing.
 *
 * @param name what was measured
 * @param unit the unit of {@code fake} and {@code ceiling}
 * @param fake the fake's figure in each round
 * @param ceiling the ceiling's figure in each round (same length), or null where the target is absolute
 * @param ceilingName what the ceiling is
 * @param target the target, or null for a figure reported without one
 * @param notes further ceilings or context, printed after the figure
 */
record Figure(String name, String unit, double[] fake, double[] ceiling, String ceilingName, Target target,
              List<String> notes) {

    enum Verdict { MET, MISSED, NOISY, NONE }

    /**
     * What a figure is judged by: its per-round quantity (the ratio, or the value) at most or at least a limit.
     *
     * @param text the target as the issue states it
     */
    record Target(String text, boolean ratio, boolean atMost, double limit) {
        static Target ratioAtMost(double limit, String text) {
            return new Target(text, true, true, limit);
        }

        static Target ratioAtLeast(double limit, String text) {
            return new Target(text, true, false, limit);
        }

        static Target atMost(double limit, String text) {
            return new Target(text, false, true, limit);
        }

        static Target atLeast(double limit, String text) {
            return new Target(text, false, false, limit);
        }
    }

    Figure {
        if (ceiling != null && ceiling.length != fake.length) {
            throw new IllegalArgumentException(name + ": " + fake.length + " rounds but " + ceiling.length
                    + " ceilings");
        }
        notes = List.copyOf(notes);
    }

    /** A figure with an absolute target (or none): no ceiling. */
    static Figure absolute(String name, String unit, double[] fake, Target target, List<String> notes) {
        return new Figure(name, unit, fake, null, "", target, notes);
    }

    int rounds() {
        return fake.length;
    }

    boolean hasCeiling() {
        return ceiling != null;
    }

    /** The per-round ratios fake/ceiling (empty without a ceiling). */
    double[] ratios() {
        if (ceiling == null) {
            return new double[0];
        }
        double[] r = new double[fake.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = fake[i] / ceiling[i];
        }
        return r;
    }

    /** What the verdict is about in each round: the ratio when the target is one, else the fake's value. */
    double[] judged() {
        return target != null && target.ratio() ? ratios() : fake;
    }

    double median() {
        return Stats.median(judged());
    }

    Verdict verdict() {
        if (target == null) {
            return Verdict.NONE;
        }
        double[] q = judged();
        double m = Stats.median(q);
        double spread = Stats.max(q) - Stats.min(q);
        double distance = Math.abs(m - target.limit());
        if (q.length > 1 && spread > distance) {
            return Verdict.NOISY;
        }
        return (target.atMost() ? m <= target.limit() : m >= target.limit()) ? Verdict.MET : Verdict.MISSED;
    }

    String line() {
        StringBuilder b = new StringBuilder(String.format("%-50s %s", name, fmt(Stats.median(fake), unit)));
        if (fake.length > 1) {
            b.append(" [").append(range(fake, unit)).append(']');
        }
        if (hasCeiling()) {
            b.append(String.format(" | ceiling %s %s | ratio %s", ceilingName, fmt(Stats.median(ceiling), unit),
                    ratioText()));
        }
        b.append(" | target ").append(target == null ? "-" : target.text()).append(" | ").append(verdictText());
        for (String n : allNotes()) {
            b.append(" | ").append(n);
        }
        return b.toString();
    }

    String markdownRow() {
        return "| " + name + " | " + fmt(Stats.median(fake), unit)
                + (fake.length > 1 ? " (" + range(fake, unit) + ")" : "") + " | "
                + (hasCeiling() ? ceilingName + " " + fmt(Stats.median(ceiling), unit) : "-") + " | "
                + (hasCeiling() ? ratioText() : "-") + " | " + (target == null ? "-" : target.text()) + " | "
                + switch (verdict()) {
                    case MET -> "met";
                    case MISSED -> "**missed**";
                    case NOISY -> "**noisy**";
                    case NONE -> "-";
                } + (allNotes().isEmpty() ? "" : "; " + String.join("; ", allNotes())) + " |";
    }

    String verdictText() {
        return switch (verdict()) {
            case MET -> "MET";
            case MISSED -> "MISSED";
            case NOISY -> "NOISY (spread wider than the distance to the target: no verdict)";
            case NONE -> "-";
        };
    }

    /** The median ratio and its spread: {@code 0.62x (0.55-0.70)}. */
    String ratioText() {
        double[] r = ratios();
        String m = String.format("%.2fx", Stats.median(r));
        return r.length > 1 ? m + String.format(" (%.2f-%.2f)", Stats.min(r), Stats.max(r)) : m;
    }

    private List<String> allNotes() {
        List<String> all = new ArrayList<>(notes);
        all.add(fake.length == 1 ? "1 round" : "median of " + fake.length + " rounds");
        return all;
    }

    private static String range(double[] xs, String unit) {
        return fmt(Stats.min(xs), "").trim() + "-" + fmt(Stats.max(xs), unit);
    }

    static String fmt(double v, String unit) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        String n = Math.abs(v) >= 1000 ? String.format("%,.0f", v)
                : Math.abs(v) >= 100 ? String.format("%.0f", v)
                : Math.abs(v) >= 10 ? String.format("%.1f", v)
                : String.format("%.3g", v);
        return unit.isEmpty() ? n : n + " " + unit;
    }
}
