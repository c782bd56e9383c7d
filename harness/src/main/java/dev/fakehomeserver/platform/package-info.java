/**
 * The hosting platform's rules as a flavour of the fake (shared/reference/seed-appservices.txt; docs/platform.md):
 * its {@link dev.fakehomeserver.platform.Plan plans} and their limits, its managed bridges, its
 * {@link dev.fakehomeserver.platform.Dashboard dashboard}'s register and remove with the restart that follows, and
 * the {@link dev.fakehomeserver.platform.HostResolver resolver} its dashboard's url check uses. Off unless
 * {@code Homeserver.builder().hostedPlatform(Plan.PRO)} turns it on.
 */
package dev.fakehomeserver.platform;
