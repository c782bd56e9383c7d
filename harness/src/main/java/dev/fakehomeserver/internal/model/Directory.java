package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.internal.base.MatrixException;

/** The local room alias directory with Synapse's rules for who may create and delete aliases (§4.8). */
public final class Directory {
    private final HomeserverModel model;

    public Directory(HomeserverModel model) {
        this.model = model;
    }

    /** Validates the alias shape: {@code #localpart:server}, at most 255 characters. */
    public static void checkAliasSyntax(String alias) {
        int colon = alias.indexOf(':');
        if (!alias.startsWith("#") || colon < 2) {
            throw MatrixException.invalidParam("Invalid room alias: " + alias);
        }
        if (alias.length() > 255) {
            throw MatrixException.invalidParam("Room alias is too long");
        }
    }

    /** Who may create or delete this alias: appservices only in their own alias namespace, humans outside any exclusive one. */
    public void checkMayEdit(Requester r, String alias) {
        if (r.isAppservice()) {
            if (!r.appservice().matcher().isInterestedInAlias(alias)) {
                throw MatrixException.exclusive("This application service has not reserved this kind of alias.");
            }
            return;
        }
        for (Appservice as : model.appservices()) {
            if (as.matcher().isExclusiveAlias(alias) && !as.senderUserId().equals(r.userId())) {
                throw MatrixException.exclusive("This alias is reserved by an application service.");
            }
        }
    }

    /** Creates an association after the caller's permission checks. Runs under the model's lock (checked). */
    public void create(Requester r, String alias, String roomId) {
        model.requireLock();
        int colon = alias.indexOf(':');
        if (!alias.startsWith("#") || colon < 0) {
            throw MatrixException.invalidParam("Invalid room alias: " + alias);
        }
        // Synapse's _create_association, in its order: Python's string.whitespace (ASCII only), then locality.
        if (alias.substring(1, colon).chars().anyMatch(ch -> " \t\n\r\u000b\f".indexOf(ch) >= 0)) {
            throw MatrixException.unknown(400, "Invalid characters in room alias");
        }
        if (!model.isMine(alias)) {
            throw MatrixException.unknown(400, "Room alias must be local");
        }
        if (model.aliases.containsKey(alias)) {
            throw MatrixException.unknown(409, "Room alias " + alias + " already exists");
        }
        model.aliases.put(alias, roomId);
        model.aliasCreators.put(alias, r.userId());
        model.room(roomId).addAlias(alias);
        model.signal().bump();
    }

    /** Removes an association; returns the room it pointed at, or null. Runs under the model's lock (checked). */
    public String delete(String alias) {
        model.requireLock();
        String roomId = model.aliases.remove(alias);
        model.aliasCreators.remove(alias);
        if (roomId != null) {
            Room room = model.room(roomId);
            if (room != null) {
                room.removeAlias(alias);
            }
            model.signal().bump();
        }
        return roomId;
    }

    /** The user who created an alias, or null. Runs under the model's lock (checked). */
    public String creator(String alias) {
        model.requireLock();
        return model.aliasCreators.get(alias);
    }

    /**
     * Adds a room to, or removes it from, an appservice's published list for one third-party network. Synapse
     * checks neither the network nor the room (spec-digest §4.8). Runs under the model's lock (checked).
     */
    public void setNetworkVisibility(String appserviceId, String networkId, String roomId, boolean published) {
        model.requireLock();
        String key = appserviceId + "|" + networkId;
        if (published) {
            model.appserviceRoomLists.computeIfAbsent(key, k -> new java.util.LinkedHashSet<>()).add(roomId);
        } else {
            java.util.Set<String> set = model.appserviceRoomLists.get(key);
            if (set != null) {
                set.remove(roomId);
            }
        }
        model.signal().bump();
    }

    /**
     * The room ids of a public room list. {@code network} is {@code "<as id>|<network id>"} for one appservice
     * network, or null for the server's own list; {@code allNetworks} gives the own list and every network's.
     * Runs under the model's lock (checked).
     */
    public java.util.Set<String> publishedRoomIds(String network, boolean allNetworks) {
        model.requireLock();
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (network == null) {
            for (Room room : model.rooms()) {
                if ("public".equals(room.directoryVisibility())) {
                    out.add(room.roomId());
                }
            }
        }
        if (allNetworks) {
            model.appserviceRoomLists.values().forEach(out::addAll);
        } else if (network != null) {
            out.addAll(model.appserviceRoomLists.getOrDefault(network, java.util.Set.of()));
        }
        out.removeIf(id -> model.room(id) == null);
        return out;
    }
}
