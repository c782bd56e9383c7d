#!/usr/bin/env python3
"""The appservice the family appservice-listening was recorded with: answers Synapse on 127.0.0.1:PORT for the
registrations bridge.yaml (url .../bridge) and flaky.yaml (url .../flaky). RecordingAppservice.java in the
harness tests answers the same, for the replay; change both together.

  listener.py 18521      # serves until killed

/flaky/... answers 500 to everything. /bridge/... checks the hs_token (header or access_token query; 403
M_FORBIDDEN otherwise), then: ping 200 {} (transaction_id "fail" 500, "forbid" 403), transactions 200 {},
thirdparty protocol/location/user for protocol "chat" (anything else 404 M_NOT_FOUND), users/rooms 404.
"""
import json, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HS_TOKEN = "hs_token_bridge_0123456789abcdef0123456789abcdef"
APP = "/_matrix/app/v1"
CHAT = {"user_fields": ["nick"], "location_fields": ["channel"], "icon": "mxc://example.org/chat",
        "field_types": {"nick": {"regexp": ".*", "placeholder": "bob"},
                        "channel": {"regexp": "#.*", "placeholder": "#general"}},
        "instances": [{"desc": "Chat network", "icon": "mxc://example.org/net", "fields": {},
                       "network_id": "chatnet"}]}

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def handle_any(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        status, out = route(self.command, u.path, q, raw, self.headers.get("Authorization", ""))
        data = json.dumps(out).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_PUT = do_POST = do_DELETE = handle_any

def route(method, path, q, raw, auth):
    if path.startswith("/flaky/"):
        return 500, {"errcode": "M_UNKNOWN", "error": "flaky fails on purpose"}
    if not path.startswith("/bridge" + APP + "/"):
        return 404, {"errcode": "M_NOT_FOUND", "error": "not here"}
    if auth != "Bearer " + HS_TOKEN and q.get("access_token", [None])[0] != HS_TOKEN:
        return 403, {"errcode": "M_FORBIDDEN", "error": "wrong hs_token"}
    p = path[len("/bridge" + APP):]
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = {}
    if method == "POST" and p == "/ping":
        txn = body.get("transaction_id") if isinstance(body, dict) else None
        if txn == "fail":
            return 500, {"errcode": "M_UNKNOWN", "error": "ping fails on purpose"}
        if txn == "forbid":
            return 403, {"errcode": "M_FORBIDDEN", "error": "ping refused on purpose"}
        return 200, {}
    if method == "PUT" and p.startswith("/transactions/"):
        return 200, {}
    if method == "GET" and p == "/thirdparty/protocol/chat":
        return 200, CHAT
    if method == "GET" and p == "/thirdparty/location/chat":
        return 200, [{"alias": "#chat_general:test", "protocol": "chat", "fields": {"channel": "#general"}}]
    if method == "GET" and p == "/thirdparty/user/chat":
        return 200, [{"userid": "@chat_bob:test", "protocol": "chat", "fields": {"nick": "bob"}}]
    if method == "GET" and p == "/thirdparty/location":
        return 200, [{"alias": q.get("alias", [""])[0], "protocol": "chat", "fields": {"channel": "#general"}}]
    if method == "GET" and p == "/thirdparty/user":
        return 200, [{"userid": q.get("userid", [""])[0], "protocol": "chat", "fields": {"nick": "bob"}}]
    return 404, {"errcode": "M_NOT_FOUND", "error": "not here"}

if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
