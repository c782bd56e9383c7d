/**
 * Everything the homeserver sends to appservices (house.md flow C), with Synapse's semantics.
 *
 * <ul>
 *   <li>{@link dev.fakehomeserver.internal.push.InterestRouter} listens on the one append path and picks the
 *       interested appservices (spec-digest §3.2), from an index of joined namespaced members per room.</li>
 *   <li>{@link dev.fakehomeserver.internal.push.TransactionPusher}, one per appservice: batching, one
 *       transaction in flight, DOWN and the 2..512 s recoverer (§3.4–3.5).</li>
 *   <li>{@link dev.fakehomeserver.internal.push.AppserviceQueries}: user, alias, ping, third-party (§2.4–2.7).</li>
 *   <li>{@link dev.fakehomeserver.internal.push.AppserviceClient}: one
 *       {@link dev.fakehomeserver.internal.push.Http1Exchange} per request, on a connection of its own that is
 *       always closed, the hs_token (header and/or {@code ?access_token=}, see {@code HomeserverBuilder.pushAuth}),
 *       the journal.</li>
 *   <li>{@link dev.fakehomeserver.internal.push.TimeSource}: retries wait on the homeserver's clock;
 *       with a {@code VirtualClock}, {@link dev.fakehomeserver.internal.push.DueTasks} fires them when the test
 *       advances it.</li>
 * </ul>
 *
 * <p>Locks: the append path holds the model's lock and only enqueues; a pusher's monitor guards its queues and
 * is never held while sending; nothing here takes the model's lock while holding a pusher's. Requests start on
 * the shared push pool, so neither the Undertow IO thread nor the model lock ever waits on an appservice.
 *
 * <p>Where the fake differs from Synapse, on purpose: interest is computed when the event is appended (Synapse:
 * shortly after, when its notifier runs); a retry sends the body of the first attempt byte for byte minus the
 * ephemeral items (Synapse re-reads the events, so {@code age} changes); while the appservice is down each
 * enqueue makes its own transaction (Synapse cuts batches of up to 100 from its stream); protocol metadata is
 * not cached for an hour; a pending user query holds back the appservice's whole queue, not just that room's.
 */
package dev.fakehomeserver.internal.push;
