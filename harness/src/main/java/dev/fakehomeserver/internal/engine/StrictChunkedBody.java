package dev.fakehomeserver.internal.engine;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.conduits.ReadDataStreamSourceConduit;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Decodes a chunked request body strictly, and reports broken framing to the reader instead of closing the
 * connection, so the reader can answer it (issue 17, item 10): {@code ReadBody} answers 400 and then closes.
 *
 * <p>Why not Undertow's own decoder: {@code ChunkedStreamSourceConduit} (2.4.4) closes the connection itself
 * before it reports any framing error, so no answer can be written; and it is lenient where Synapse is not: a
 * chunk size {@code zz} reads as {@code 0} (the end of the body), anything after a chunk's data up to the next
 * LF is skipped. Synapse (twisted's {@code _ChunkedTransferDecoder}) answers each of these with a bare
 * {@code HTTP/1.1 400 Bad Request} and closes: a size that is not hex digits, a size of more than 16 hex digits
 * (twisted takes any length and then aborts on its request size limit; a 400 says more), chunk data not
 * followed by CRLF, a size line or a trailer line not ended by CRLF. The fake answers the same status, with a
 * Matrix body saying which. Chunk extensions ({@code ;name=value}) and trailers are read and ignored, as there.
 *
 * <p>Installed by {@link HttpServer} on every HTTP/1.1 request with a {@code Transfer-Encoding}, in place of
 * Undertow's decoder and over the same source (the connection's read-ahead bytes, then the socket):
 * <pre>{@code
 * if (StrictChunkedBody.applies(exchange)) StrictChunkedBody.install(exchange);
 * }</pre>
 */
final class StrictChunkedBody extends AbstractStreamSourceConduit<StreamSourceConduit> {
    /** A chunk size line or trailer line longer than this is refused (twisted: 1024 for trailers' lines). */
    static final int MAX_LINE = 4096;
    /** More hex digits than a long holds. */
    private static final int MAX_SIZE_DIGITS = 15;

    /** A chunked body whose framing is broken: what was wrong, for the 400's message. */
    static final class MalformedChunkException extends IOException {
        MalformedChunkException(String why) {
            super(why);
        }
    }

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER, TRAILER_LF, END_LF, DONE }

    private final HttpServerExchange exchange;
    private final HttpServerConnection connection;
    private State state = State.SIZE;
    private long size;
    private int digits;
    private int lineBytes;
    private long remaining;
    private boolean finished;

    private StrictChunkedBody(HttpServerExchange exchange, HttpServerConnection connection) {
        // The source Undertow's decoder reads: the bytes read ahead with the head, then the connection's conduit.
        super(new ReadDataStreamSourceConduit(connection.getOriginalSourceConduit(), connection));
        this.exchange = exchange;
        this.connection = connection;
    }

    /** True for an HTTP/1.1 request whose body Undertow set up as chunked (any encoding but identity). */
    static boolean applies(HttpServerExchange ex) {
        String encoding = ex.getRequestHeaders().getLast(Headers.TRANSFER_ENCODING);
        return encoding != null && !Headers.IDENTITY.equalToString(encoding)
                && ex.getConnection() instanceof HttpServerConnection && !ex.isRequestComplete();
    }

    /** Puts the strict decoder in place of Undertow's; before anything has read the body. */
    static void install(HttpServerExchange ex) {
        HttpServerConnection c = (HttpServerConnection) ex.getConnection();
        c.getChannel().getSourceChannel().setConduit(new StrictChunkedBody(ex, c));
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (state == State.DONE) {
            return end();
        }
        PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
        boolean keep = false;
        try {
            ByteBuffer buf = pooled.getBuffer();
            while (true) {
                buf.clear();
                int r = next.read(buf);
                buf.flip();
                if (r == -1) {
                    // The client went away inside the body: nobody to answer, as Undertow's decoder does.
                    IoUtils.safeClose(connection);
                    throw new ClosedChannelException();
                }
                if (r == 0) {
                    return 0;
                }
                int copied = decode(buf, dst);
                if (buf.hasRemaining()) {
                    // Read ahead (the rest of a chunk that did not fit, or the next request): given back.
                    connection.ungetRequestBytes(pooled);
                    keep = true;
                }
                if (copied > 0) {
                    return copied;
                }
                if (state == State.DONE) {
                    return end();
                }
                if (keep || !dst.hasRemaining()) {
                    return 0;
                }
            }
        } finally {
            if (!keep) {
                pooled.close();
            }
        }
    }

    /** Takes framing and data from {@code buf} until it is empty, {@code dst} full or the body ends. */
    private int decode(ByteBuffer buf, ByteBuffer dst) throws MalformedChunkException {
        int copied = 0;
        while (buf.hasRemaining() && state != State.DONE) {
            if (state == State.DATA) {
                int n = (int) Math.min(remaining, Math.min(buf.remaining(), dst.remaining()));
                if (n == 0) {
                    break;
                }
                int limit = buf.limit();
                buf.limit(buf.position() + n);
                dst.put(buf);
                buf.limit(limit);
                remaining -= n;
                copied += n;
                if (remaining == 0) {
                    state = State.DATA_CR;
                }
            } else {
                frame(buf.get());
            }
        }
        return copied;
    }

    private void frame(byte b) throws MalformedChunkException {
        if (++lineBytes > MAX_LINE) {
            throw new MalformedChunkException("a chunk size or trailer line is longer than " + MAX_LINE + " bytes");
        }
        switch (state) {
            case SIZE -> {
                int d = Character.digit(b, 16);
                if (d >= 0) {
                    if (++digits > MAX_SIZE_DIGITS) {
                        throw new MalformedChunkException("chunk size too large");
                    }
                    size = size * 16 + d;
                } else if (digits > 0 && b == ';') {
                    state = State.EXTENSION;
                } else if (digits > 0 && b == '\r') {
                    state = State.SIZE_LF;
                } else {
                    throw new MalformedChunkException("invalid chunk size (hex digits and CRLF expected)");
                }
            }
            case EXTENSION -> state = b == '\r' ? State.SIZE_LF : State.EXTENSION;
            case SIZE_LF -> {
                expect(b, '\n', "a chunk size line not ended by CRLF");
                lineBytes = 0;
                if (size == 0) {
                    state = State.TRAILER_START;
                } else {
                    remaining = size;
                    state = State.DATA;
                }
            }
            case DATA_CR -> {
                expect(b, '\r', "chunk data not followed by CRLF");
                state = State.DATA_LF;
            }
            case DATA_LF -> {
                expect(b, '\n', "chunk data not followed by CRLF");
                state = State.SIZE;
                size = 0;
                digits = 0;
                lineBytes = 0;
            }
            case TRAILER_START -> state = b == '\r' ? State.END_LF : State.TRAILER;
            case TRAILER -> state = b == '\r' ? State.TRAILER_LF : State.TRAILER;
            case TRAILER_LF -> {
                expect(b, '\n', "a trailer line not ended by CRLF");
                lineBytes = 0;
                state = State.TRAILER_START;
            }
            case END_LF -> {
                expect(b, '\n', "the chunked body not ended by CRLF");
                state = State.DONE;
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private static void expect(byte b, char wanted, String why) throws MalformedChunkException {
        if (b != wanted) {
            throw new MalformedChunkException(why);
        }
    }

    /** The body has ended: Undertow is told once, so the connection can go on to its next request. */
    private int end() {
        if (!finished) {
            finished = true;
            Connectors.terminateRequest(exchange);
        }
        return -1;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        for (int i = offs; i < offs + len; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return IoUtils.transfer(new ConduitReadableByteChannel(this), count, throughBuffer, target);
    }

    @Override
    public void terminateReads() throws IOException {
        if (state != State.DONE) {
            // Not read to its end: the connection cannot carry another request.
            exchange.setPersistent(false);
        }
        super.terminateReads();
    }
}
