package dev.fakehomeserver.platform;

import java.util.Arrays;
import java.util.Locale;

/**
 * A plan of the hosting platform (shared/reference/seed-appservices.txt, "Plan limits"), and how many custom
 * appservices it allows: "Free / Starter — no custom appservices. Pro — 1 custom appservice. Business — unlimited
 * custom appservices." The platform's managed bridges "don't count against this quota — only appservices you
 * register yourself".
 *
 * <pre>{@code
 * Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registration(Path.of("weather.yaml")).start();
 * hs.addRegistration(second);   // RegistrationException: plan Pro allows 1 custom appservice; ...
 * }</pre>
 */
public enum Plan {
    /** No custom appservice. */
    FREE("Free", 0),
    /** No custom appservice. */
    STARTER("Starter", 0),
    /** One custom appservice. */
    PRO("Pro", 1),
    /** Unlimited custom appservices. */
    BUSINESS("Business", Integer.MAX_VALUE);

    private final String displayName;
    private final int customAppservices;

    Plan(String displayName, int customAppservices) {
        this.displayName = displayName;
        this.customAppservices = customAppservices;
    }

    /** The name the platform gives it: {@code Free}, {@code Starter}, {@code Pro}, {@code Business}. */
    public String displayName() {
        return displayName;
    }

    /** How many custom appservices the plan allows; {@link Integer#MAX_VALUE} for Business (unlimited). */
    public int customAppservices() {
        return customAppservices;
    }

    /** Whether the plan sets no limit. */
    public boolean unlimited() {
        return customAppservices == Integer.MAX_VALUE;
    }

    /** The limit in words, as the refusal says it: {@code no custom appservice}, {@code 1 custom appservice}. */
    public String limitInWords() {
        if (unlimited()) {
            return "unlimited custom appservices";
        }
        return customAppservices == 0 ? "no custom appservice"
                : customAppservices + " custom appservice" + (customAppservices == 1 ? "" : "s");
    }

    /**
     * The plan named {@code name} in any case ({@code pro}, {@code PRO}, {@code Pro}), as the standalone jar's
     * {@code --platform} and the JUnit extension's {@code platform} attribute take it.
     *
     * @throws IllegalArgumentException naming the plans when there is none by that name
     */
    public static Plan parse(String name) {
        for (Plan p : values()) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("No plan '" + name + "'; the platform's plans are "
                + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
    }
}
