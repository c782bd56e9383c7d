package dev.fakehomeserver.benchmarks;

import java.util.List;

/**
 * One measured figure beside its ceiling (measured in the same run), the ratio between them and the target.
 *
 * @param name what was measured
 * @param value the fake's figure, in {@code unit}
 * @param ceiling the ceiling's figure in the same unit, or NaN where the target is absolute
 * @param ceilingName what the ceiling is
 * @param target the target as the issue states it
 * @param met whether the target is met
 * @param notes further ceilings or context, printed after the figure
 */
record Figure(String name, double value, String unit, double ceiling, String ceilingName, String target,
              boolean met, List<String> notes) {

    double ratio() {
        return Double.isNaN(ceiling) || ceiling == 0 ? Double.NaN : value / ceiling;
    }

    String line() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-44s %s", name, fmt(value, unit)));
        if (!Double.isNaN(ceiling)) {
            b.append(String.format(" | ceiling %s %s | ratio %.2fx", ceilingName, fmt(ceiling, unit), ratio()));
        }
        b.append(" | target ").append(target).append(met ? " | MET" : " | MISSED");
        for (String n : notes) {
            b.append(" | ").append(n);
        }
        return b.toString();
    }

    String markdownRow() {
        return "| " + name + " | " + fmt(value, unit) + " | "
                + (Double.isNaN(ceiling) ? "-" : ceilingName + " " + fmt(ceiling, unit)) + " | "
                + (Double.isNaN(ratio()) ? "-" : String.format("%.2fx", ratio())) + " | " + target + " | "
                + (met ? "met" : "**missed**") + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)) + " |";
    }

    static String fmt(double v, String unit) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        String n = Math.abs(v) >= 1000 ? String.format("%,.0f", v)
                : Math.abs(v) >= 100 ? String.format("%.0f", v)
                : Math.abs(v) >= 10 ? String.format("%.1f", v)
                : String.format("%.3g", v);
        return n + " " + unit;
    }
}
