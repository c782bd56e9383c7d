package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.internal.base.MatrixException;

/**
 * The room authorisation rules the append path checks before it commits an event: membership, join rules,
 * bans and power levels, with the status codes and errcodes Synapse answers.
 */
final class AuthRules {
    private AuthRules() {}

    /**
     * The first rule, checked before the {@link EventChecks}: Synapse refuses an event whose sender is not in the
     * room before it looks at the event's content or size (a non-member's float or 256-character type is 403).
     */
    static void checkSenderJoined(Room room, EventDraft d) {
        if (!"m.room.create".equals(d.type()) && !"m.room.member".equals(d.type())) {
            senderJoined(room, d);
        }
    }

    private static void senderJoined(Room room, EventDraft d) {
        String senderMembership = room.state().membership(d.sender());
        if (!"join".equals(senderMembership)) {
            throw MatrixException.forbidden("User " + d.sender() + " not in room " + room.roomId()
                    + (senderMembership == null ? "" : " (" + senderMembership + ")"));
        }
    }

    static void check(Room room, EventDraft d) {
        RoomState s = room.state();
        if ("m.room.create".equals(d.type())) {
            if (s.get("m.room.create", "") != null) {
                throw MatrixException.forbidden("Room already has a create event");
            }
            return;
        }
        if ("m.room.member".equals(d.type())) {
            checkMembership(room, d);
            return;
        }
        senderJoined(room, d);
        long needed = s.eventLevel(d.type(), d.stateKey() != null);
        if (s.powerLevel(d.sender()) < needed) {
            throw MatrixException.forbidden("You don't have permission to post that to the room. user_level ("
                    + s.powerLevel(d.sender()) + ") < send_level (" + needed + ")");
        }
        if (d.stateKey() != null && d.stateKey().startsWith("@") && !d.stateKey().equals(d.sender())
                && !d.type().equals("m.room.member")) {
            // Spec: a state key that is a user id may only be set by that user (room versions up to 11).
            throw MatrixException.forbidden("You are not allowed to set others state");
        }
        if ("m.room.redaction".equals(d.type()) && d.stateKey() == null) {
            checkRedaction(room, d);
        }
    }

    /**
     * Synapse's checks on a new redaction: the target must be an event of this room (404 otherwise, as
     * {@code get_event(check_room_id=...)} answers), and redacting someone else's event needs the {@code redact}
     * power level; one's own events may always be redacted.
     */
    private static void checkRedaction(Room room, EventDraft d) {
        String targetId = d.content().path("redacts").asText("");
        Event target = null;
        // The room's own timeline, newest first: a test server's rooms are small, and this keeps the rules a
        // function of the room alone.
        for (int i = room.timeline().size() - 1; i >= 0 && target == null; i--) {
            if (room.timeline().get(i).eventId().equals(targetId)) {
                target = room.timeline().get(i);
            }
        }
        if (target == null) {
            throw MatrixException.notFound("Could not find event " + targetId);
        }
        RoomState s = room.state();
        if (!target.sender().equals(d.sender()) && s.powerLevel(d.sender()) < s.actionLevel("redact", 50)) {
            throw MatrixException.forbidden("You don't have permission to redact events");
        }
    }

    private static void checkMembership(Room room, EventDraft d) {
        RoomState s = room.state();
        String target = d.stateKey();
        String wanted = d.content().path("membership").asText("");
        String current = s.membership(target);
        String senderMembership = s.membership(d.sender());
        boolean self = target.equals(d.sender());
        // The creator's first join, right after m.room.create.
        if (s.get("m.room.member", target) == null && s.joined().isEmpty() && "join".equals(wanted) && self) {
            Event create = s.get("m.room.create", "");
            if (create != null && create.sender().equals(target)) {
                return;
            }
        }
        switch (wanted) {
            case "join" -> {
                if (!self) {
                    throw MatrixException.forbidden("Cannot force another user to join.");
                }
                if ("ban".equals(current)) {
                    throw MatrixException.badState("Cannot join user who was banned");
                }
                if ("join".equals(current)) {
                    return;
                }
                String rule = s.joinRule();
                if (!"public".equals(rule) && !"invite".equals(current)) {
                    throw MatrixException.forbidden("You are not invited to this room.");
                }
            }
            case "invite" -> {
                requireJoined(room, d.sender(), senderMembership);
                if ("ban".equals(current)) {
                    throw MatrixException.forbidden(target + " is banned from the room");
                }
                if ("join".equals(current)) {
                    throw MatrixException.forbidden(target + " is already in the room.");
                }
                requirePower(s, d.sender(), s.actionLevel("invite", 0), "invite");
            }
            case "leave" -> {
                if (self) {
                    if (current == null || "leave".equals(current)) {
                        throw MatrixException.forbidden("User " + target + " not in room " + room.roomId());
                    }
                    if ("ban".equals(current)) {
                        throw MatrixException.forbidden("You are banned from this room");
                    }
                    return;
                }
                requireJoined(room, d.sender(), senderMembership);
                if ("ban".equals(current)) {
                    requirePower(s, d.sender(), s.actionLevel("ban", 50), "unban");
                    return;
                }
                requirePower(s, d.sender(), s.actionLevel("kick", 50), "kick");
                requireAbove(s, d.sender(), target, "kick");
            }
            case "ban" -> {
                requireJoined(room, d.sender(), senderMembership);
                requirePower(s, d.sender(), s.actionLevel("ban", 50), "ban");
                requireAbove(s, d.sender(), target, "ban");
            }
            case "knock" -> {
                if (!self) {
                    throw MatrixException.forbidden("Cannot knock on behalf of another user.");
                }
                if (!"knock".equals(s.joinRule())) {
                    throw MatrixException.forbidden("You don't have permission to knock");
                }
            }
            default -> throw MatrixException.badJson("Unknown membership " + wanted);
        }
    }

    private static void requireJoined(Room room, String user, String membership) {
        if (!"join".equals(membership)) {
            throw MatrixException.forbidden("User " + user + " not in room " + room.roomId());
        }
    }

    private static void requirePower(RoomState s, String user, long needed, String action) {
        long have = s.powerLevel(user);
        if (have < needed) {
            throw MatrixException.forbidden("You don't have permission to " + action + " this user");
        }
    }

    private static void requireAbove(RoomState s, String sender, String target, String action) {
        if (!sender.equals(target) && s.powerLevel(target) >= s.powerLevel(sender)) {
            throw MatrixException.forbidden("You don't have permission to " + action + " this user");
        }
    }
}
