package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.internal.base.MatrixException;
import java.util.HashMap;
import java.util.Map;

/**
 * Uploaded media, kept in memory byte for byte with its content type and file name; and the ids reserved by
 * {@code POST /_matrix/media/v1/create} until their bytes arrive. Guarded by the model's lock. All media
 * together stays within a budget (issue 17, item 8), so uploads cannot fill the heap.
 */
public final class MediaStore {
    private final ModelCore core;
    private final Map<String, Media> media = new HashMap<>();
    /** media id -> the user who reserved it. */
    private final Map<String, String> reserved = new HashMap<>();
    /** The bytes of every stored file together, held against the budget. */
    private long storedBytes;

    /** One stored file. The array is never handed out for writing: callers must not modify it. */
    public record Media(String mediaId, byte[] bytes, String contentType, String fileName, String uploader,
                        long createdTs) {
        public String mxc(String serverName) {
            return "mxc://" + serverName + "/" + mediaId;
        }
    }

    MediaStore(ModelCore core) {
        this.core = core;
    }

    /** Stores new media under a fresh id; 413 {@code M_TOO_LARGE} when it would pass {@code budgetBytes}. */
    public Media upload(String uploader, byte[] bytes, String contentType, String fileName, long budgetBytes) {
        synchronized (core.lock()) {
            charge(bytes.length, budgetBytes);
            Media m = new Media(core.ids().mediaId(), bytes, contentType, fileName, uploader, core.now());
            media.put(m.mediaId(), m);
            core.signal().bump();
            return m;
        }
    }

    /** Reserves an id whose bytes its owner uploads later. */
    public String reserve(String owner) {
        synchronized (core.lock()) {
            String id = core.ids().mediaId();
            reserved.put(id, owner);
            return id;
        }
    }

    /**
     * Fills a reserved id (Synapse's {@code PUT /_matrix/media/v3/upload/{serverName}/{mediaId}}): 404 for an id
     * never reserved, 403 for another user's id, 409 {@code M_CANNOT_OVERWRITE_MEDIA} once filled.
     */
    public Media fill(String owner, String mediaId, byte[] bytes, String contentType, String fileName,
                      long budgetBytes) {
        synchronized (core.lock()) {
            if (media.containsKey(mediaId)) {
                throw new MatrixException(409, "M_CANNOT_OVERWRITE_MEDIA", "Media ID already has content");
            }
            String reservedBy = reserved.get(mediaId);
            if (reservedBy == null) {
                throw MatrixException.notFound("Unknown media ID");
            }
            if (!reservedBy.equals(owner)) {
                throw MatrixException.forbidden("You may not upload to this media ID");
            }
            charge(bytes.length, budgetBytes);
            reserved.remove(mediaId);
            Media m = new Media(mediaId, bytes, contentType, fileName, owner, core.now());
            media.put(mediaId, m);
            core.signal().bump();
            return m;
        }
    }

    /** The media with this id, or null. */
    public Media get(String mediaId) {
        synchronized (core.lock()) {
            return media.get(mediaId);
        }
    }

    /** Counts {@code size} against the budget, or refuses it (the lock is held). */
    private void charge(long size, long budgetBytes) {
        if (storedBytes + size > budgetBytes) {
            throw MatrixException.tooLarge("Media storage is full: " + storedBytes + " of " + budgetBytes
                    + " bytes used, this upload is " + size + " (raise maxMediaBytes / --max-media-bytes, or reset)");
        }
        storedBytes += size;
    }

    void reset() {
        storedBytes = 0;
        media.clear();
        reserved.clear();
    }
}
