package dev.fakehomeserver.internal.model;

import java.util.concurrent.atomic.AtomicReference;

/** The model and its services, handed to every endpoint family as one value. */
public record Services(HomeserverModel model, Options options, Accounts accounts, RoomService rooms,
                       Directory directory, AtomicReference<AppserviceCalls> appserviceCalls) {
    public static Services create(HomeserverModel model, Options options) {
        Directory directory = new Directory(model);
        model.messageLimiter().configure(options.messageRateLimit());
        model.appender().maxEventBytes(options.maxEventBytes());
        return new Services(model, options, new Accounts(model), new RoomService(model, directory), directory,
                new AtomicReference<>(AppserviceCalls.NONE));
    }

    /** The appservice calls in use (the pusher's once it is wired, else a no-op). */
    public AppserviceCalls calls() {
        return appserviceCalls.get();
    }
}
