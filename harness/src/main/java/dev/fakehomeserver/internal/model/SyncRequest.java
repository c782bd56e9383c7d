package dev.fakehomeserver.internal.model;

/**
 * What one sync asks.
 *
 * @param deviceId the device whose to-device inbox and one-time keys count, or null
 * @param txnScope who sees {@code unsigned.transaction_id} ({@link SyncData#scopeOf})
 * @param since null for an initial sync
 */
public record SyncRequest(String userId, String deviceId, String txnScope, SyncToken since, boolean fullState,
                      SyncFilter filter) {}
