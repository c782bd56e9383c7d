package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** One client-server request as endpoints see it: path parameters, query, body and the authenticated requester. */
public final class Call {
    /**
     * What an empty body reads as. Synapse answers 400 {@code M_NOT_JSON} "Content not JSON." for an empty body
     * on every endpoint that parses one, except join and the membership changes ({@code allow_empty_body}, see
     * {@link #allowEmptyBody()}); the control API, which is ours, reads it as {@code {}} so that
     * {@code curl -X POST .../reset} needs no body.
     */
    public enum EmptyBody { NOT_JSON, EMPTY_OBJECT }

    private final String method;
    private final String scheme;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, Deque<String>> query;
    private final HeaderSource headers;
    /** Empty until {@link ReadBody} has read it: routing comes first, so the route can bound the body. */
    private byte[] body;
    private final String contentType;
    private EmptyBody emptyBody;
    private boolean notJsonIsEmpty;
    private Requester requester;
    private MatrixException refusedAuth;
    private JsonNode json;

    /** @param scheme {@code http} or {@code https}, as the request came */
    public Call(String method, String scheme, String path, Map<String, String> pathParams, Map<String, Deque<String>> query,
                HeaderSource headers, byte[] body, String contentType, EmptyBody emptyBody) {
        this.method = method;
        this.scheme = scheme;
        this.path = path;
        this.pathParams = pathParams;
        this.query = query;
        this.headers = headers;
        this.body = body == null ? new byte[0] : body;
        this.contentType = contentType;
        this.emptyBody = emptyBody;
    }

    public String method() { return method; }
    /** {@code http}, or {@code https} for a request that came over TLS. */
    public String scheme() { return scheme; }
    public String path() { return path; }
    public byte[] body() { return body; }
    public String contentType() { return contentType; }

    /**
     * The request's headers, looked up by name when an endpoint asks (two do): copying every header of every
     * request into a map of lower-cased names was a visible part of a client API send.
     */
    @FunctionalInterface
    public interface HeaderSource {
        /** Every value of a header, matched case-insensitively, in the order sent; empty when absent. */
        List<String> values(String name);
    }

    /** A header by lower-case name, or null. */
    public String header(String lowerCaseName) {
        List<String> v = headers.values(lowerCaseName);
        return v.isEmpty() ? null : v.get(0);
    }

    /** Every value of a header by lower-case name (empty when absent). */
    public List<String> headers(String lowerCaseName) {
        return headers.values(lowerCaseName);
    }

    public String param(String name) {
        return pathParams.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        Deque<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.peekFirst();
    }

    public Map<String, Deque<String>> queryMap() {
        return query;
    }

    /** The authenticated requester, or null on routes without auth. */
    public Requester requester() {
        return requester;
    }

    /** The authenticated requester of a route that requires one. */
    public Requester who() {
        if (refusedAuth != null) {
            throw refusedAuth;
        }
        if (requester == null) {
            throw MatrixException.missingToken("Missing access token");
        }
        return requester;
    }

    void body(byte[] bytes) {
        this.body = bytes;
    }

    void requester(Requester r) {
        this.requester = r;
    }

    /** On an {@link AuthMode#LATE} route: why the token was refused, thrown by the first {@link #who()}. */
    void refusedAuth(MatrixException refused) {
        this.refusedAuth = refused;
    }

    /**
     * For a route without auth that resolves an as_token itself (appservice registration and login): records
     * which appservice made the request, so the journal names it even when the endpoint then refuses. The
     * acting user stays unknown (null): the request is not made as any user yet.
     */
    public void resolvedAppservice(dev.fakehomeserver.internal.model.Appservice as) {
        if (requester == null) {
            this.requester = new Requester(null, null, as);
        }
    }

    /**
     * The body as JSON: 400 {@code M_NOT_JSON} when it is not JSON. An empty body reads as the API says
     * ({@link EmptyBody}).
     */
    public JsonNode json() {
        if (json == null) {
            try {
                if (body.length == 0 && emptyBody == EmptyBody.NOT_JSON) {
                    throw MatrixException.notJson("Content not JSON.");
                }
                json = body.length == 0 ? Json.object() : Json.parse(body);
            } catch (MatrixException notJson) {
                if (!notJsonIsEmpty) {
                    throw notJson;
                }
                json = Json.object();
            }
        }
        return json;
    }

    /**
     * This endpoint reads any body that is not JSON, empty or not, as {@code {}}: Synapse's device deletions do,
     * "to deal with older clients which didn't pass a JSON dict".
     */
    public Call notJsonIsEmptyObject() {
        notJsonIsEmpty = true;
        return this;
    }

    /** This endpoint reads an empty body as {@code {}}, as Synapse's {@code allow_empty_body=True} does. */
    public Call allowEmptyBody() {
        emptyBody = EmptyBody.EMPTY_OBJECT;
        return this;
    }

    /** The body as a JSON object: 400 {@code M_BAD_JSON} when it is JSON of another shape. */
    public ObjectNode object() {
        JsonNode node = json();
        if (!node.isObject()) {
            throw MatrixException.badJson("Content must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    /** A string field that may be absent (null) but must be a string if present. */
    public String optString(String field) {
        JsonNode v = object().get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw MatrixException.badJson("'" + field + "' must be a string");
        }
        return v.asText();
    }

    /** A required string field: 400 {@code M_MISSING_PARAM} when absent, {@code M_BAD_JSON} when not a string. */
    public String string(String field) {
        String v = optString(field);
        if (v == null) {
            throw MatrixException.missingParam("Missing parameter: " + field);
        }
        return v;
    }

    public boolean optBool(String field, boolean dflt) {
        JsonNode v = object().get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw MatrixException.badJson("'" + field + "' must be a boolean");
        }
        return v.asBoolean();
    }
}
