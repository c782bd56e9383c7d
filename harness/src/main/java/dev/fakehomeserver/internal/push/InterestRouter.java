package dev.fakehomeserver.internal.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.journal.CoverageLog;
import dev.fakehomeserver.internal.model.AppendListener;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.registration.NamespaceMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Decides which appservices get each appended event, exactly as Synapse's {@code is_interested_in_event}
 * (spec-digest §3.2), and hands it to their pushers. An event goes to an appservice when, in this order:
 * <ol>
 *   <li>its sender is the appservice's sender user or matches a users regex (no locality check);</li>
 *   <li>it is a membership event whose state_key is, likewise;</li>
 *   <li>its room id matches a rooms regex;</li>
 *   <li>a local directory alias of the room matches an aliases regex;</li>
 *   <li>a currently joined local member of the room is the sender user or matches a users regex.</li>
 * </ol>
 * Nothing is filtered as an echo: the appservice receives its own users' events.
 *
 * <p>Rule 5 reads an index, not the member list: per room and appservice, the number of joined local members it
 * is interested in, kept up to date from the membership events as they are appended. Every method runs under
 * the model's lock (the append path calls {@link #appended} holding it).
 */
final class InterestRouter implements AppendListener {
    private final HomeserverModel model;
    private final Pushers pushers;
    private final AppserviceQueries queries;
    /** roomId -> appservice id -> joined local members the appservice is interested in. */
    private final Map<String, Map<String, Integer>> joinedInterested = new HashMap<>();
    /** The appservices whose counts are complete (one added later is counted from the rooms once). */
    private final Set<String> indexed = new HashSet<>();

    /*
     * Derived from the registration set, so a send costs one lookup per rule rather than one per appservice and
     * rule (benchmarks/README.md, figure 7c). Patterns never change, so these answers are exact while the model's
     * appservice list is the same instance (it is replaced when one is added or removed); rebuilt from scratch
     * when it changes.
     */
    /** The appservice list the fields below were derived from. */
    private List<Appservice> derivedFrom;
    /** Appservice id -> its position in {@link #derivedFrom}. */
    private final Map<String, Integer> position = new HashMap<>();
    /** User id -> positions of the appservices interested in that user (rules 1 and 2). */
    private final Map<String, int[]> usersInterest = new HashMap<>();
    /** Positions of the appservices with rooms or aliases entries: no other can match rules 3 and 4. */
    private int[] roomOrAliasNamespaces;
    /** Whether every appservice of {@link #derivedFrom} is in {@link #indexed}. */
    private boolean allIndexed;
    private static final int MAX_REMEMBERED_USERS = 10_000;

    private final PushedBehaviours behaviours;

    InterestRouter(HomeserverModel model, Pushers pushers, AppserviceQueries queries, CoverageLog coverage) {
        this.model = model;
        this.pushers = pushers;
        this.queries = queries;
        this.behaviours = new PushedBehaviours(coverage, model.serverName());
    }

    @Override
    public void appended(Room room, Event e) {
        List<Appservice> all = model.appservices();
        derive(all);
        updateIndex(room, e, all);
        List<Appservice> interested = interested(room, e, all);
        if (interested.isEmpty()) {
            return;
        }
        CompletableFuture<Void> gate = queries.queryUsers(unknownUsers(e));
        for (Appservice as : interested) {
            behaviours.routed(as, room, e);
            pushers.of(as).enqueue(e, gate);
        }
    }

    /**
     * The appservices interested in {@code e}, in registration order: the same answer as asking
     * {@link #isInterestedInEvent} of each, from the derived lookups.
     */
    private List<Appservice> interested(Room room, Event e, List<Appservice> all) {
        boolean[] hit = new boolean[all.size()];
        int hits = mark(hit, usersInterested(e.sender(), all));
        if ("m.room.member".equals(e.type()) && e.stateKey() != null) {
            hits += mark(hit, usersInterested(e.stateKey(), all));
        }
        for (int i : roomOrAliasNamespaces) {
            if (!hit[i] && matchesRoomIdOrAlias(all.get(i), room)) {
                hit[i] = true;
                hits++;
            }
        }
        Map<String, Integer> counts = joinedInterested.get(room.roomId());
        if (counts != null) {
            for (Map.Entry<String, Integer> c : counts.entrySet()) {
                Integer i = position.get(c.getKey());
                if (i != null && c.getValue() > 0 && !hit[i]) {
                    hit[i] = true;
                    hits++;
                }
            }
        }
        if (hits == 0) {
            return List.of();
        }
        List<Appservice> out = new ArrayList<>(hits);
        for (int i = 0; i < hit.length; i++) {
            if (hit[i]) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    private static int mark(boolean[] hit, int[] positions) {
        int n = 0;
        for (int i : positions) {
            if (!hit[i]) {
                hit[i] = true;
                n++;
            }
        }
        return n;
    }

    /** Positions of the appservices whose sender is {@code userId} or whose users regexes match it. */
    private int[] usersInterested(String userId, List<Appservice> all) {
        int[] known = usersInterest.get(userId);
        if (known == null) {
            int[] buf = new int[all.size()];
            int n = 0;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).matcher().isInterestedInUser(userId)) {
                    buf[n++] = i;
                }
            }
            known = java.util.Arrays.copyOf(buf, n);
            if (usersInterest.size() >= MAX_REMEMBERED_USERS) {
                usersInterest.clear(); // a test has few user ids; a long run must not grow without bound
            }
            usersInterest.put(userId, known);
        }
        return known;
    }

    /** Rebuilds the derived lookups when the registration set changed. */
    private void derive(List<Appservice> all) {
        if (all == derivedFrom) {
            return;
        }
        derivedFrom = all;
        position.clear();
        usersInterest.clear();
        int[] buf = new int[all.size()];
        int n = 0;
        for (int i = 0; i < all.size(); i++) {
            position.put(all.get(i).id(), i);
            if (all.get(i).matcher().hasRoomOrAliasNamespaces()) {
                buf[n++] = i;
            }
        }
        roomOrAliasNamespaces = java.util.Arrays.copyOf(buf, n);
        allIndexed = false;
    }

    boolean isInterestedInEvent(Appservice as, Room room, Event e) {
        NamespaceMatcher m = as.matcher();
        if (m.isInterestedInUser(e.sender())) {
            return true;
        }
        if ("m.room.member".equals(e.type()) && e.stateKey() != null && m.isInterestedInUser(e.stateKey())) {
            return true;
        }
        return isInterestedInRoom(as, room);
    }

    boolean isInterestedInRoom(Appservice as, Room room) {
        if (matchesRoomIdOrAlias(as, room)) {
            return true;
        }
        ensureIndexed(as);
        Map<String, Integer> counts = joinedInterested.get(room.roomId());
        return counts != null && counts.getOrDefault(as.id(), 0) > 0;
    }

    /** Rules 3 and 4: a rooms regex matches the room id, or an aliases regex one of its local aliases. */
    private static boolean matchesRoomIdOrAlias(Appservice as, Room room) {
        if (as.matcher().isInterestedInRoomId(room.roomId())) {
            return true;
        }
        for (String alias : room.aliases()) {
            if (as.matcher().isInterestedInAlias(alias)) {
                return true;
            }
        }
        return false;
    }

    /** Synapse's user check before enqueueing: local, no account, not an appservice sender (§2.4). */
    private List<String> unknownUsers(Event e) {
        List<String> out = new ArrayList<>(2);
        addIfUnknown(out, e.sender());
        if ("m.room.member".equals(e.type()) && e.stateKey() != null && !e.stateKey().equals(e.sender())) {
            addIfUnknown(out, e.stateKey());
        }
        return out;
    }

    private void addIfUnknown(List<String> out, String userId) {
        if (!model.isMine(userId) || model.user(userId) != null) {
            return;
        }
        for (Appservice as : model.appservices()) {
            if (as.senderUserId().equals(userId)) {
                return;
            }
        }
        out.add(userId);
    }

    private void updateIndex(Room room, Event e, List<Appservice> all) {
        boolean localMember = "m.room.member".equals(e.type()) && e.stateKey() != null && model.isMine(e.stateKey());
        if (allIndexed && !localMember) {
            return; // nothing to count, nobody to index: most events
        }
        for (Appservice as : all) {
            if (!indexed.contains(as.id())) {
                ensureIndexed(as); // counts from the current state, this event included
                continue;
            }
            if (!localMember) {
                continue;
            }
            boolean was = e.prevContent() != null && "join".equals(e.prevContent().path("membership").asText());
            boolean is = "join".equals(e.membership());
            if (was != is && as.matcher().isInterestedInUser(e.stateKey())) {
                Map<String, Integer> counts = joinedInterested.computeIfAbsent(room.roomId(), k -> new HashMap<>());
                counts.merge(as.id(), is ? 1 : -1, Integer::sum);
            }
        }
        allIndexed = true;
    }

    private void ensureIndexed(Appservice as) {
        if (!indexed.add(as.id())) {
            return;
        }
        for (Room room : model.rooms()) {
            int n = 0;
            for (String member : room.state().joined()) {
                if (model.isMine(member) && as.matcher().isInterestedInUser(member)) {
                    n++;
                }
            }
            if (n > 0) {
                joinedInterested.computeIfAbsent(room.roomId(), k -> new HashMap<>()).put(as.id(), n);
            }
        }
    }

    /**
     * Routes an ephemeral item (spec-digest §3.3) to the appservices that opted in and are interested:
     * {@code m.typing} and {@code m.receipt} for interesting rooms ({@code m.read.private} receipts only of the
     * appservice's own users, as the spec says; Synapse 1.94 leaked them); {@code m.presence} for the
     * appservice's users or users sharing an interesting room with it. Other types are ignored.
     */
    void routeEphemeral(ObjectNode edu) {
        String type = edu.path("type").asText("");
        for (Appservice as : model.appservices()) {
            if (!as.registration().receiveEphemeral() && !as.registration().msc2409PushEphemeral()) {
                continue;
            }
            ObjectNode forAs = switch (type) {
                case "m.typing" -> inInterestingRoom(as, edu) ? edu.deepCopy() : null;
                case "m.receipt" -> inInterestingRoom(as, edu) ? receiptsFor(as, edu) : null;
                case "m.presence" -> presenceInteresting(as, edu.path("sender").asText("")) ? edu.deepCopy() : null;
                default -> null;
            };
            if (forAs != null) {
                pushers.of(as).enqueueEphemeral(forAs);
            }
        }
    }

    private boolean inInterestingRoom(Appservice as, ObjectNode edu) {
        Room room = model.room(edu.path("room_id").asText(""));
        return room != null && isInterestedInRoom(as, room);
    }

    private boolean presenceInteresting(Appservice as, String userId) {
        if (as.matcher().isInterestedInUser(userId)) {
            return true;
        }
        for (String roomId : model.joinedRooms(userId)) {
            Room room = model.room(roomId);
            if (room != null && isInterestedInRoom(as, room)) {
                return true;
            }
        }
        return false;
    }

    /** A copy without other users' private read receipts; null when nothing is left. */
    private static ObjectNode receiptsFor(Appservice as, ObjectNode edu) {
        ObjectNode copy = edu.deepCopy();
        JsonNode content = copy.path("content");
        if (!content.isObject()) {
            return copy;
        }
        for (Iterator<Map.Entry<String, JsonNode>> events = content.fields(); events.hasNext(); ) {
            JsonNode byType = events.next().getValue();
            JsonNode priv = byType.path("m.read.private");
            if (priv.isObject()) {
                List<String> drop = new ArrayList<>();
                priv.fieldNames().forEachRemaining(u -> {
                    if (!as.matcher().isInterestedInUser(u)) {
                        drop.add(u);
                    }
                });
                ((ObjectNode) priv).remove(drop);
                if (priv.isEmpty()) {
                    ((ObjectNode) byType).remove("m.read.private");
                }
            }
            if (byType.isEmpty()) {
                events.remove();
            }
        }
        return content.isEmpty() ? null : copy;
    }

    void reset() {
        joinedInterested.clear();
        indexed.clear();
        allIndexed = false;
    }
}
