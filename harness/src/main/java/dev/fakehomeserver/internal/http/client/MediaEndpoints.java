package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.BodyLimit;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.Endpoint;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.Response;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.MediaStore;
import dev.fakehomeserver.internal.model.Services;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The media repository: uploads (direct, and create-then-upload), downloads and thumbnails under both the
 * authenticated {@code /_matrix/client/v1/media} paths and the legacy unauthenticated {@code /_matrix/media}
 * ones, and the config. Bytes come back exactly as uploaded, with their content type and file name; thumbnails
 * of images are the original bytes (the fake does not scale images), and other media has none (400, as Synapse).
 */
public final class MediaEndpoints {
    /** Types Synapse serves inline ({@code INLINE_CONTENT_TYPES}); anything else is an attachment. */
    private static final Set<String> INLINE = Set.of("text/css", "text/plain", "text/csv", "application/json",
            "application/ld+json", "image/jpeg", "image/gif", "image/png", "image/apng", "image/webp", "image/avif",
            "video/mp4", "video/webm", "video/ogg", "video/quicktime", "audio/mp4", "audio/webm", "audio/aac",
            "audio/mpeg", "audio/ogg", "audio/wave", "audio/wav", "audio/x-wav", "audio/x-pn-wav", "audio/flac",
            "audio/x-flac");
    /** Synapse's default {@code thumbnail_sizes} formats: the types it makes thumbnails of. */
    private static final Set<String> THUMBNAILED = Set.of("image/jpeg", "image/jpg", "image/webp", "image/gif",
            "image/png");
    private final Services s;
    private final HomeserverModel model;
    private final MediaStore store;

    public MediaEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
        this.store = model.media();
    }

    public void register(RouteTable.Builder r) {
        // Synapse 1.94 mounts its media repository under /r0, /v3 and the legacy /v1.
        for (String v : new String[] {"v3", "r0", "v1"}) {
            String legacy = "/_matrix/media/" + v;
            // Media has its own limit; ReadBody refuses a larger body before it is read (the 413 of checkSize).
            BodyLimit upload = new BodyLimit(Math.max(1, s.options().maxUploadBytes()), "Upload request body is too large");
            r.add("POST", legacy + "/upload", AuthMode.REQUIRED, upload, this::upload);
            if (!v.equals("v1")) {
                // MSC2246 (current Synapse; 1.94 answers 405 here).
                r.add("PUT", legacy + "/upload/{serverName}/{mediaId}", AuthMode.REQUIRED, upload, this::fill);
            }
            r.add("GET", legacy + "/config", AuthMode.REQUIRED, c -> config());
            both(r, legacy + "/download/{serverName}/{mediaId}", AuthMode.NONE, this::download);
            both(r, legacy + "/thumbnail/{serverName}/{mediaId}", AuthMode.NONE, this::thumbnail);
            // No media id: Synapse's parse_media_id fails with 404 M_UNKNOWN.
            r.add("GET", legacy + "/download/{serverName}", AuthMode.NONE, c -> find(c));
            r.add("GET", legacy + "/thumbnail/{serverName}", AuthMode.NONE, c -> find(c));
        }
        // MSC2246 and MSC3916 (current Synapse; 1.94 answers 404 M_UNRECOGNIZED for both).
        r.add("POST", "/_matrix/media/v1/create", AuthMode.REQUIRED, this::create);
        String v1 = "/_matrix/client/v1/media";
        r.add("GET", v1 + "/config", AuthMode.REQUIRED, c -> config());
        both(r, v1 + "/download/{serverName}/{mediaId}", AuthMode.REQUIRED, this::download);
        both(r, v1 + "/thumbnail/{serverName}/{mediaId}", AuthMode.REQUIRED, this::thumbnail);
    }

    /**
     * A media path with and without a trailing file name. Synapse's {@code parse_media_id} takes the last of any
     * number of segments after the media id as the file name ({@code .../{mediaId}/a/b} downloads as {@code b},
     * recorded in conversations/media-files); the fake's routes go two segments deep.
     */
    private static void both(RouteTable.Builder r, String path, AuthMode auth, Endpoint e) {
        r.add("GET", path, auth, e);
        r.add("GET", path + "/{fileName}", auth, e);
        r.add("GET", path + "/{ignored}/{fileName}", auth, e);
    }

    private ObjectNode config() {
        return Json.object().put("m.upload.size", s.options().maxUploadBytes());
    }

    private void checkSize(Call c) {
        if (c.body().length > s.options().maxUploadBytes()) {
            throw MatrixException.tooLarge("Upload request body is too large");
        }
    }

    private static String contentType(Call c) {
        return c.contentType() == null || c.contentType().isBlank() ? "application/octet-stream" : c.contentType();
    }

    private Object upload(Call c) {
        checkSize(c);
        String fileName = c.query("filename");
        // The query decoder turns bytes that are not UTF-8 into U+FFFD; Synapse refuses such a filename.
        if (fileName != null && fileName.indexOf('\uFFFD') >= 0) {
            throw MatrixException.unknown(400, "Invalid UTF-8 filename parameter");
        }
        MediaStore.Media m = store.upload(c.who().userId(), c.body(), contentType(c), fileName,
                s.options().maxMediaBytes());
        return Json.object().put("content_uri", m.mxc(model.serverName()));
    }

    private Object create(Call c) {
        String id = store.reserve(c.who().userId());
        ObjectNode o = Json.object();
        o.put("content_uri", "mxc://" + model.serverName() + "/" + id);
        // Synapse gives a day to fill the id.
        o.put("unused_expires_at", model.now() + 24L * 3600 * 1000);
        return o;
    }

    private Object fill(Call c) {
        checkSize(c);
        if (!model.serverName().equals(c.param("serverName"))) {
            throw MatrixException.notFound("Unknown media ID");
        }
        store.fill(c.who().userId(), c.param("mediaId"), c.body(), contentType(c), c.query("filename"),
                s.options().maxMediaBytes());
        return Json.object();
    }

    /**
     * Synapse's {@code parse_media_id} (a server name that fails {@code parse_and_validate_server_name}, or no
     * media id, is 404 {@code M_UNKNOWN}), then the local lookup; remote media is Synapse's 403 "Federation
     * denied" (the fake has no federation), or its plain 404 with {@code allow_remote=false}.
     */
    private MediaStore.Media find(Call c) {
        String server = c.param("serverName");
        String mediaId = c.param("mediaId");
        if (mediaId == null || !SynapseIds.isValidServerName(server)) {
            throw MatrixException.unknown(404, "Invalid media id token");
        }
        MediaStore.Media m = model.serverName().equals(server) ? store.get(mediaId) : null;
        if (m != null) {
            return m;
        }
        if (!model.serverName().equals(server) && allowRemote(c)) {
            throw MatrixException.forbidden("Federation denied with " + server + ".");
        }
        throw MatrixException.notFound("Not found");
    }

    private Object download(Call c) {
        MediaStore.Media m = find(c);
        String name = c.param("fileName") != null ? c.param("fileName") : m.fileName();
        return Response.bytes(200, m.bytes(), m.contentType(), Map.of(
                "Content-Disposition", disposition(m.contentType(), name),
                "X-Content-Type-Options", "nosniff"));
    }

    private Object thumbnail(Call c) {
        // Synapse's order: the media id, then width and height (any integer), then the lookup; the method is not
        // checked (an unknown one finds no thumbnail).
        if (c.param("mediaId") == null || !SynapseIds.isValidServerName(c.param("serverName"))) {
            find(c);
        }
        requiredInteger(c, "width");
        requiredInteger(c, "height");
        MediaStore.Media m = find(c);
        // Synapse 1.94 (dynamic thumbnails off) thumbnails images of these types at upload and picks one by
        // method; anything else, or a method that is neither crop nor scale, finds none.
        String method = c.query("method") == null ? "scale" : c.query("method");
        String base = m.contentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!THUMBNAILED.contains(base) || !(method.equals("scale") || method.equals("crop"))) {
            throw MatrixException.unknown(400, "Cannot find any thumbnails for the requested media ([b'"
                    + c.param("serverName") + "', b'" + c.param("mediaId") + "']). This might mean the media is not"
                    + " a supported_media_format=(image/jpeg, image/jpg, image/webp, image/gif, image/png) or that"
                    + " thumbnailing failed for some other reason. (Dynamic thumbnails are disabled on this server.)");
        }
        return Response.bytes(200, m.bytes(), m.contentType(), Map.of(
                "Content-Disposition", disposition(m.contentType(), m.fileName()),
                "X-Content-Type-Options", "nosniff"));
    }

    /** Synapse's {@code parse_boolean(request, "allow_remote", default=True)}. */
    private static boolean allowRemote(Call c) {
        String v = c.query("allow_remote");
        if (v == null || v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw MatrixException.invalidParam("Boolean query parameter 'allow_remote' must be one of ['true', 'false']");
    }

    /** Synapse's {@code parse_integer(required=True)}: Python's {@code int()}, negative numbers included. */
    private static int requiredInteger(Call c, String name) {
        String v = c.query(name);
        if (v == null) {
            throw MatrixException.missingParam("Missing integer query parameter \"" + name + "\"");
        }
        if (!SynapseIds.PYTHON_INT.matcher(v).matches()) {
            throw MatrixException.invalidParam("Query parameter \"" + name + "\" must be an integer.");
        }
        try {
            return Integer.parseInt(v.strip().replace("_", ""));
        } catch (NumberFormatException huge) {
            return v.strip().startsWith("-") ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
    }

    /** Synapse's {@code add_file_headers}: inline for safe types, a token file name or an RFC 5987 one. */
    static String disposition(String contentType, String fileName) {
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String kind = INLINE.contains(base) ? "inline" : "attachment";
        if (fileName == null || fileName.isEmpty()) {
            return kind;
        }
        if (fileName.chars().allMatch(ch -> ch > 32 && ch < 127 && "()<>@,;:\\\"/[]?={}".indexOf(ch) < 0)) {
            return kind + "; filename=" + fileName;
        }
        return kind + "; filename*=utf-8''"
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
