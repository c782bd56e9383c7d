package dev.fakehomeserver.internal.push;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.internal.base.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an appservice's answer body within bounds (issue 17, item 7): 30 answers of 10 MB each used to stay in
 * the heap and in {@code GET /_fakehs/v1/transactions}. Whatever its size, the whole body is checked to be one
 * JSON value as it streams past (Synapse's {@code put_json} parses it all, and a 2xx that is not JSON is a
 * failure), but only the first {@link #KEPT_FOR_JSON} bytes are kept to be read as JSON (query answers), and
 * the journal shows the first {@link #JOURNALED} bytes with a note saying how much was cut.
 */
final class AnswerBody {
    /** The journal's cut, the same as the client-server journal's. */
    static final int JOURNALED = 16 * 1024;
    /** Answers up to this size are parsed (user, alias and third-party queries read them). */
    static final int KEPT_FOR_JSON = 1024 * 1024;

    private AnswerBody() {}

    /** What was read: the text to journal, the JSON when kept, whether it all was one JSON value, its size. */
    record Read(String journalText, JsonNode json, boolean wasJson, long bytes) {}

    /** The journal text of a body of {@code total} bytes of which {@code kept} came first. */
    static String journalText(byte[] kept, int keptLength, long total) {
        int n = (int) Math.min(keptLength, JOURNALED);
        String text = new String(kept, 0, n, StandardCharsets.UTF_8);
        return total > n ? text + "...(" + total + " bytes, " + (total - n) + " cut)" : text;
    }

    /** Takes an answer body in pieces as they arrive, keeping only what the bounds allow. */
    static final class Collector {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final JsonCheck check = new JsonCheck();
        private long total;

        void feed(byte[] bytes, int length) {
            total += length;
            int room = KEPT_FOR_JSON - kept.size();
            kept.write(bytes, 0, Math.max(0, Math.min(room, length)));
            // A copy: the caller reuses its buffer, and the non-blocking parser reads from the array it is fed.
            check.feed(Arrays.copyOf(bytes, length));
        }

        Read finish() {
            boolean wasJson = check.end();
            byte[] k = kept.toByteArray();
            JsonNode json = null;
            if (wasJson && total <= KEPT_FOR_JSON) {
                json = Outcome.parse(new String(k, StandardCharsets.UTF_8));
            } else if (wasJson) {
                json = Json.NODES.nullNode(); // valid, too large to keep: counts as JSON, reads as nothing
            }
            return new Read(journalText(k, k.length, total), json, wasJson, total);
        }
    }

    /** Checks bytes fed in pieces are exactly one JSON value, keeping nothing but the parser's state. */
    private static final class JsonCheck {
        private final JsonParser parser;
        private final ByteArrayFeeder feeder;
        private boolean broken;
        private int depth;
        private int roots;

        JsonCheck() {
            try {
                parser = Json.MAPPER.getFactory().createNonBlockingByteArrayParser();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        }

        void feed(byte[] bytes) {
            if (broken) {
                return;
            }
            try {
                feeder.feedInput(bytes, 0, bytes.length);
                drain();
            } catch (IOException | RuntimeException e) {
                broken = true;
            }
        }

        boolean end() {
            if (broken) {
                return false;
            }
            try {
                feeder.endOfInput();
                drain();
                return !broken && roots == 1 && depth == 0;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        private void drain() throws IOException {
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                if (depth == 0) {
                    roots++;
                    if (roots > 1) {
                        broken = true; // "{} {}": Python's json.loads refuses extra data
                        return;
                    }
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            }
        }
    }
}
