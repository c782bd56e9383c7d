#!/usr/bin/python3
"""End-to-end: a real matrix-nio AsyncClient (Debian's python3-matrix-nio) against the standalone jar.

  nio-e2e.py JAR

Logs in, sees the room, reads a message injected through the control API, sends one that the appservice under
test (a tiny receiver below) receives, accepts an invite. Exits 1 on the first step that fails."""
import asyncio, http.server, json, os, socket, subprocess, sys, tempfile, threading, time, urllib.parse, urllib.request

import nio

received = []
got_message = threading.Event()

class Receiver(http.server.BaseHTTPRequestHandler):
    def do_PUT(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        for e in body.get("events", []):
            received.append(e)
            if e.get("content", {}).get("body") == "hello bot, from nio":
                got_message.set()
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers()
        self.wfile.write(b"{}")
    def log_message(self, *a): pass

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def call(hs, method, path, body=None):
    req = urllib.request.Request(hs + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")

def check(ok, what):
    if not ok:
        sys.exit("nio-e2e: FAILED: " + what)
    print("nio-e2e: ok:", what)

async def scenario(hs):
    call(hs, "POST", "/_matrix/client/v3/register",
         {"username": "nio", "password": "pw-nio-1", "auth": {"type": "m.login.dummy"}})
    room = call(hs, "POST", "/_fakehs/v1/rooms", {"creator": "@alice:test", "name": "Bot room", "preset": "private_chat",
                                                 "members": ["@nio:test", "@bot:test"]})["room_id"]
    client = nio.AsyncClient(hs, "@nio:test")
    try:
        check(isinstance(await client.login("pw-nio-1"), nio.LoginResponse), "log in with a password")
        first = await client.sync(timeout=0, full_state=True)
        check(isinstance(first, nio.SyncResponse) and room in first.rooms.join, "the first sync lists the room")
        check(client.rooms[room].display_name == "Bot room", "the room has its name from the synced state")

        seen = []
        client.add_event_callback(lambda r, e: seen.append(e.body), nio.RoomMessageText)
        quoted = urllib.parse.quote(room)
        call(hs, "POST", "/_fakehs/v1/rooms/%s/events" % quoted,
             {"sender": "@alice:test", "type": "m.room.message", "content": {"msgtype": "m.text", "body": "hi nio"}})
        for _ in range(3):
            await client.sync(timeout=3000)
            if "hi nio" in seen:
                break
        check("hi nio" in seen, "a held sync delivers the message injected through the control API")

        sent = await client.room_send(room, "m.room.message", {"msgtype": "m.text", "body": "hello bot, from nio"})
        check(isinstance(sent, nio.RoomSendResponse), "send a message")
        check(got_message.wait(10), "the appservice under test receives it")

        dm = call(hs, "POST", "/_fakehs/v1/rooms", {"creator": "@bot:test", "name": "DM", "preset": "private_chat"})["room_id"]
        call(hs, "POST", "/_fakehs/v1/rooms/%s/events" % urllib.parse.quote(dm),
             {"sender": "@bot:test", "type": "m.room.member", "state_key": "@nio:test",
              "content": {"membership": "invite", "is_direct": True}})
        invited = await client.sync(timeout=3000)
        check(dm in invited.rooms.invite, "the invite arrives in rooms.invite")
        check(isinstance(await client.join(dm), nio.JoinResponse), "accept the invite")
        joined = await client.sync(timeout=3000)
        check(dm in joined.rooms.join, "the next sync moves the room to rooms.join")
    finally:
        await client.close()

def main():
    jar = sys.argv[1]
    as_port, hs_port = free_port(), free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", as_port), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    reg = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    reg.write("id: bot\nurl: http://127.0.0.1:%d\nas_token: as_token_bot_0123456789abcdef\n"
              "hs_token: hs_token_bot_0123456789abcdef\nsender_localpart: bot\nrate_limited: false\n"
              "namespaces:\n  users:\n    - exclusive: true\n      regex: '@bot_.*:test'\n" % as_port)
    reg.close()
    hs = "http://127.0.0.1:%d" % hs_port
    fake = subprocess.Popen(["java", "-jar", jar, "--port", str(hs_port), "--registration", reg.name,
                             "--no-control-token"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(hs + "/_matrix/client/versions", timeout=1); break
            except Exception:
                time.sleep(0.1)
        started = time.monotonic()
        asyncio.run(scenario(hs))
        print("nio-e2e: the matrix-nio scenario passed in %.1f s" % (time.monotonic() - started))
    finally:
        fake.terminate(); fake.wait(10); server.shutdown(); os.unlink(reg.name)

main()
