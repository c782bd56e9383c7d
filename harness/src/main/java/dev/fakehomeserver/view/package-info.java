/**
 * Immutable snapshots of what the fake holds: {@link dev.fakehomeserver.view.RoomView},
 * {@link dev.fakehomeserver.view.EventView}, {@link dev.fakehomeserver.view.UserView}. Read them with
 * {@code hs.rooms()}, {@code hs.room(idOrAlias)}, {@code hs.users()} and {@code hs.findUser(id)}.
 */
package dev.fakehomeserver.view;
