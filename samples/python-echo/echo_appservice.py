"""A small Matrix appservice in plain Python (standard library only): the echo bot.

It answers the homeserver's pushes (PUT /_matrix/app/v1/transactions/{txnId}) as the appservice API says:
checks the hs_token, handles each transaction once (a retry carries the same txnId), and reacts to its events:

- an invite of its bot user (@echobot:<server>) into a room: the bot joins;
- a message "!echo TEXT" in a room where the bot is: the bot answers TEXT.

It reacts inside the transaction request, before answering 200, so "the transaction is acknowledged" means "the
bot has done what it does about it": a test can wait for that instead of sleeping.

    bot = EchoAppservice(as_token, hs_token, server_name="test")
    bot.start()                       # listens on a free port: bot.url
    bot.homeserver = "http://127.0.0.1:8008"
"""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class EchoAppservice:
    def __init__(self, as_token, hs_token, server_name="test", localpart="echobot"):
        self.as_token = as_token
        self.hs_token = hs_token
        self.bot = "@%s:%s" % (localpart, server_name)
        self.homeserver = None          # set once the homeserver's url is known
        self.seen_txns = set()          # txnIds handled: a retried transaction is acknowledged, not replayed
        self.errors = []                # what went wrong calling the homeserver, for the tests to show
        self._lock = threading.Lock()
        self._server = None
        self._sent = 0

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return "http://%s:%d" % (host, port)

    def start(self):
        bot = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self):
                bot._handle(self)

            def do_POST(self):
                bot._handle(self)

            def log_message(self, *args):   # quiet: the tests print what matters
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, name="echo-appservice", daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def forget(self):
        """What the fake's POST reset asks of an appservice with caches (docs/standalone.md): forget them."""
        with self._lock:
            self.seen_txns.clear()
            self.errors.clear()

    # ---- the appservice API --------------------------------------------------------------------------------------

    def _handle(self, req):
        path = urllib.parse.urlsplit(req.path).path
        if req.headers.get("Authorization") != "Bearer " + self.hs_token:
            return self._answer(req, 403, {"errcode": "M_FORBIDDEN", "error": "Bad hs_token"})
        if req.command == "POST" and path == "/_matrix/app/v1/ping":
            return self._answer(req, 200, {})
        prefix = "/_matrix/app/v1/transactions/"
        if req.command != "PUT" or not path.startswith(prefix):
            return self._answer(req, 404, {"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"})
        txn_id = urllib.parse.unquote(path[len(prefix):])
        length = int(req.headers.get("Content-Length") or 0)
        try:
            body = json.loads(req.rfile.read(length) or b"{}")
        except ValueError:
            return self._answer(req, 400, {"errcode": "M_NOT_JSON", "error": "Content not JSON"})
        with self._lock:
            if txn_id in self.seen_txns:
                return self._answer(req, 200, {})
            for event in body.get("events", []):
                self._on_event(event)
            self.seen_txns.add(txn_id)
        self._answer(req, 200, {})

    def _on_event(self, event):
        room = event.get("room_id")
        content = event.get("content") or {}
        if (event.get("type") == "m.room.member" and event.get("state_key") == self.bot
                and content.get("membership") == "invite"):
            self._call("POST", "/_matrix/client/v3/join/" + urllib.parse.quote(room, safe=""), {})
        elif event.get("type") == "m.room.message" and event.get("sender") != self.bot:
            text = content.get("body", "")
            if text.startswith("!echo "):
                self._sent += 1
                txn = "echo-%d" % self._sent
                self._call("PUT", "/_matrix/client/v3/rooms/%s/send/m.room.message/%s"
                           % (urllib.parse.quote(room, safe=""), txn),
                           {"msgtype": "m.notice", "body": text[len("!echo "):]})

    def _call(self, method, path, body):
        """A client-server call as the bot: the as_token, and user_id naming which of our users acts."""
        url = "%s%s?user_id=%s" % (self.homeserver, path, urllib.parse.quote(self.bot))
        request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method, headers={
            "Authorization": "Bearer " + self.as_token, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            self.errors.append("%s %s -> %d %s" % (method, path, e.code, e.read().decode(errors="replace")))
            return None

    @staticmethod
    def _answer(req, status, body):
        data = json.dumps(body).encode()
        req.send_response(status)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)
