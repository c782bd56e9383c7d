/**
 * The JUnit 5 extension {@link dev.fakehomeserver.junit5.FakeHomeserver}: a fake homeserver per class or per
 * method, injected as a {@code Homeserver} parameter, with a check for unexpected refused requests.
 */
package dev.fakehomeserver.junit5;
