/**
 * Expectations about a running fake and "what the fake saw": the checks and failure messages behind the AssertJ
 * assertions, shared by every face, so that {@code assertThat(hs).eventually()...} in Java and a
 * {@code ?wait_ms=} request on the control API fail with the same text. Start with
 * {@link dev.fakehomeserver.expect.Expectations}.
 */
package dev.fakehomeserver.expect;
