package dev.fakehomeserver.internal.dsl;

import dev.fakehomeserver.events.SyncFeed;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.SyncData;
import dev.fakehomeserver.internal.model.SyncFilter;
import dev.fakehomeserver.internal.model.SyncStream;
import dev.fakehomeserver.internal.model.SyncToken;
import dev.fakehomeserver.internal.model.SyncRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@link SyncFeed} over the same {@link SyncStream} the {@code /sync} endpoint reads: the in-process way in to
 * sync is the HTTP one minus HTTP. Waiting uses the model's change signal, as {@code eventually()} does.
 */
public final class DslSyncFeed implements SyncFeed {
    private final HomeserverModel model;
    private final SyncStream stream;
    private final String userId;
    private final String deviceId;
    private String since;

    public DslSyncFeed(HomeserverModel model, String userId, String deviceId, String since) {
        this.model = model;
        this.stream = new SyncStream(model);
        this.userId = userId;
        this.deviceId = deviceId;
        this.since = since;
        if (since != null) {
            try {
                SyncToken.parse(since);
            } catch (dev.fakehomeserver.internal.base.MatrixException e) {
                throw new IllegalArgumentException("Not a sync token: " + since);
            }
        }
    }

    @Override
    public String poll() {
        return poll(Duration.ZERO);
    }

    @Override
    public String poll(Duration timeout) {
        SyncRequest req = new SyncRequest(userId, deviceId, SyncData.scopeOf(userId, deviceId, null),
                since == null ? null : SyncToken.parse(since), false, SyncFilter.ALL);
        SyncStream.Result[] result = {stream.sync(req)};
        if (!result[0].hasNews() && !timeout.isZero()) {
            try {
                model.signal().await(() -> (result[0] = stream.sync(req)).hasNews(), timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        since = result[0].body().path("next_batch").asText();
        return new String(Json.bytes(result[0].body()), StandardCharsets.UTF_8);
    }

    @Override
    public String since() {
        return since;
    }
}
