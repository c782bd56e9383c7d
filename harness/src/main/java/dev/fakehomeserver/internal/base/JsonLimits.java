package dev.fakehomeserver.internal.base;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bounds every JSON body is read within, and the strict UTF-8 check in front of the parser.
 *
 * <p>Depth: Synapse parses with Python's recursive {@code json} module and answers 400 {@code M_NOT_JSON} once
 * a body nests deeper than its recursion limit allows (about 959 levels on 1.94; 941 to 958 are a 500 there, and
 * 940 is stored). The fake reads at most {@link #MAX_INPUT_DEPTH} levels and writes up to
 * {@link #MAX_OUTPUT_DEPTH}: answers and pushes wrap content in a few more levels ({@code /sync} in seven), so an
 * event that was accepted can always be served and pushed again.
 *
 * <p>Encoding: Synapse decodes bodies with {@code bytes.decode("utf-8")}, strict, before parsing; an overlong
 * form ({@code C0 AF} for {@code /}), an encoded surrogate or a UTF-16 body is 400 {@code M_NOT_JSON}. Jackson on
 * its own guesses UTF-16 and UTF-32 from the first bytes and accepts overlong forms, so the bytes are checked
 * first (an ASCII body, the usual case, costs one loop over it).
 *
 * <p>Numbers: Python reads an integer of up to 4300 digits (its {@code int_max_str_digits}, sign not counted)
 * and refuses a longer one, which Synapse answers 400 {@code M_NOT_JSON}; a shorter one is parsed and then judged
 * like any other value (400 {@code M_BAD_JSON} "JSON integer out of range" in room versions with canonical JSON,
 * stored elsewhere). Jackson's own limit is 1000 digits, which made 1001 to 4300 digits {@code M_NOT_JSON}; the
 * fake reads up to {@link #MAX_NUMBER_DIGITS}, as Synapse does (recorded: {@code conversations/bigints}).
 */
public final class JsonLimits {
    /** Deepest nesting a request body may have; below Synapse's ~940 and well below {@link #MAX_OUTPUT_DEPTH}. */
    public static final int MAX_INPUT_DEPTH = 900;
    /** Deepest nesting the fake writes: input depth plus room for every wrapper an answer or a push adds. */
    public static final int MAX_OUTPUT_DEPTH = 1000;

    /** Longest number a request body may hold, in digits: Python's {@code int_max_str_digits}. */
    public static final int MAX_NUMBER_DIGITS = 4300;

    static final StreamReadConstraints READ = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_INPUT_DEPTH).maxNumberLength(MAX_NUMBER_DIGITS).build();
    static final StreamWriteConstraints WRITE = StreamWriteConstraints.builder()
            .maxNestingDepth(MAX_OUTPUT_DEPTH).build();

    private JsonLimits() {}

    /**
     * Whether {@code bytes} are well-formed UTF-8 (no overlong forms, no surrogates, nothing truncated) that
     * Python's parser would read: no byte-order mark (Python refuses one) and no NUL byte (valid UTF-8, but never
     * valid JSON, and what makes Jackson take UTF-16 or UTF-32 bytes for their encoding).
     */
    public static boolean isStrictUtf8(byte[] bytes) {
        if (bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
            return false;
        }
        boolean ascii = true;
        for (byte b : bytes) {
            if (b == 0) {
                return false;
            }
            ascii &= b > 0;
        }
        if (ascii) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
