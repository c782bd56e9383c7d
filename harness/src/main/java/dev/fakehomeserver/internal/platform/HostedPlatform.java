package dev.fakehomeserver.internal.platform;

import dev.fakehomeserver.LintFinding;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import dev.fakehomeserver.internal.registration.RegistrationSetValidator;
import dev.fakehomeserver.platform.Plan;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hosting platform's rules as a layer over the registrations (docs/platform.md): the managed bridges it
 * holds, the plan's limit on custom appservices, and namespace conflicts with any registration, the bridges'
 * included. The engine asks it to check every set of registrations it would load, at start and on every add,
 * after Synapse's own checks.
 */
public final class HostedPlatform {
    private final Plan plan;
    private final String serverName;
    private final List<Registration> bridges;
    private final Set<String> bridgeIds;

    public HostedPlatform(Plan plan, String serverName) {
        this.plan = plan;
        this.serverName = serverName;
        this.bridges = ManagedBridges.registrations(serverName);
        this.bridgeIds = bridges.stream().map(Registration::id).collect(Collectors.toUnmodifiableSet());
    }

    public Plan plan() {
        return plan;
    }

    /** The managed bridges' registrations, in the order they are loaded (before any custom one). */
    public List<Registration> bridges() {
        return bridges;
    }

    /** Whether the appservice with this id is one of the platform's managed bridges. */
    public boolean isBridge(String appserviceId) {
        return bridgeIds.contains(appserviceId);
    }

    /** The bridges, then {@code custom}: the set the homeserver loads at start. */
    public List<Registration> withBridges(List<Registration> custom) {
        List<Registration> all = new ArrayList<>(bridges);
        all.addAll(custom);
        return all;
    }

    /**
     * The platform's refusals of a set of registrations that Synapse would load: more custom appservices than the
     * plan allows, then overlapping exclusive namespaces (with a bridge or with each other). The first registration
     * over the limit or in conflict is the one named.
     *
     * @throws RegistrationException naming the plan and its limit, or the conflict
     */
    public void check(List<Registration> all) {
        List<Registration> custom = all.stream().filter(r -> !isBridge(r.id())).toList();
        if (custom.size() > plan.customAppservices()) {
            throw overLimit(custom);
        }
        RegistrationSetValidator.checkNamespaceConflicts(all, serverName, r -> isBridge(r.id()));
    }

    private RegistrationException overLimit(List<Registration> custom) {
        Registration refused = custom.get(plan.customAppservices());
        List<String> kept = custom.subList(0, plan.customAppservices()).stream()
                .map(r -> "'" + r.id() + "' (" + r.source() + ")").toList();
        String bridgeList = String.join(", ", bridgeIds.stream().sorted().toList());
        return new RegistrationException("plan " + plan.displayName() + " allows " + plan.limitInWords() + "; '"
                + refused.id() + "' (" + refused.source() + ") would be the " + ordinal(plan.customAppservices() + 1)
                + (kept.isEmpty() ? "" : ", after " + String.join(", ", kept))
                + ". The platform: \"" + seedWords() + "\" Managed bridges (" + bridgeList + ") don't count against "
                + "this quota. Remove one, or choose a plan that allows more.", refused.source(), "id", 0, null);
    }

    private static String ordinal(int n) {
        return n + (n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th");
    }

    /** The seed's words for this plan's limit. */
    private String seedWords() {
        return switch (plan) {
            case FREE, STARTER -> "Free / Starter — no custom appservices.";
            case PRO -> "Pro — 1 custom appservice.";
            case BUSINESS -> "Business — unlimited custom appservices.";
        };
    }

    /**
     * The platform's advice about a custom registration beyond the usual lint: "The endpoint must be reachable
     * from the Meldry cluster (public HTTPS, or a tunneling service)". A url on a loopback, private or link-local
     * address, or a name that only resolves locally ({@code localhost}, {@code *.local}, {@code *.internal}), or
     * without https, is reported; the host is judged by its text alone, never looked up.
     */
    public List<LintFinding> lint(Registration r) {
        if (r.url() == null || isBridge(r.id())) {
            return List.of();
        }
        String host;
        String scheme;
        try {
            URI u = new URI(r.url());
            host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
            scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return List.of();
        }
        String why = !scheme.equals("https") ? "is not HTTPS" : localOnly(host) ? "is not public (host '" + host
                + "' is only reachable on this machine or network)" : null;
        if (why == null) {
            return List.of();
        }
        return List.of(new LintFinding(r.id(), "url", "url '" + r.url() + "' " + why + ": the platform pushes from "
                + "its cluster, and \"The endpoint must be reachable from the Meldry cluster (public HTTPS, or a "
                + "tunneling service).\"", r.line("url")));
    }

    private static boolean localOnly(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.isEmpty() || h.equals("localhost") || h.endsWith(".localhost") || h.endsWith(".local")
                || h.endsWith(".internal") || !h.contains(".") && !h.contains(":")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a public-looking name: not looked up
        }
        try {
            InetAddress a = InetAddress.getByName(h); // an IP literal: parsed, never resolved
            return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                    || (a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc);
        } catch (UnknownHostException e) {
            return true;
        }
    }

    /** @throws IllegalArgumentException for a managed bridge: the user cannot remove the platform's bridges */
    public void checkRemovable(String appserviceId) {
        if (isBridge(appserviceId)) {
            throw new IllegalArgumentException("'" + appserviceId + "' is a managed bridge of the platform; only "
                    + "appservices you registered yourself can be removed");
        }
    }
}
