/**
 * AssertJ assertions on a fake homeserver: {@code HomeserverAssertions.assertThat(hs)} and its navigation to
 * rooms, timelines, users, the journal and appservices, each able to wait with {@code eventually()}.
 */
package dev.fakehomeserver.assertj;
