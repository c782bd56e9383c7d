#!/usr/bin/env python3
"""Tests of the echo appservice against the standalone fake homeserver, with the standard library only.

    python3 samples/python-echo/test_echo.py [path/to/fake-homeserver-<version>-standalone.jar]

Without an argument it takes $FAKEHS_JAR, then harness/target/fake-homeserver-*-standalone.jar (built by
`mvn package`). It starts the jar once for the class (port 0, a known control token), resets it before each test,
sets each scene through the control API and waits for what the bot does with `?wait_ms=`: the fake answers as
soon as the expectation holds, or 408 with the text of the failed expectation and what it saw. Not one sleep.
"""

import glob
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from echo_appservice import EchoAppservice  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CONTROL_TOKEN = "python-echo-" + secrets.token_hex(8)
WAIT_MS = 10000   # an upper bound only: each wait answers as soon as its condition holds


def find_jar():
    if os.environ.get("FAKEHS_JAR"):
        return os.environ["FAKEHS_JAR"]
    jars = glob.glob(os.path.join(HERE, "..", "..", "harness", "target", "fake-homeserver-*-standalone.jar"))
    if not jars:
        sys.exit("no standalone jar: run 'mvn -q -DskipTests package' first, or give its path")
    return jars[0]


def q(value):
    return urllib.parse.quote(value, safe="")


class FakeHomeserver:
    """The standalone jar as a child process, and its control API."""

    def __init__(self, jar, registration):
        self.process = subprocess.Popen(
            ["java", "-jar", jar, "--port", "0", "--registration", registration, "--control-token", CONTROL_TOKEN],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = []
        # The banner's last line names the url once everything is ready: read up to it (a blocking read, no
        # polling), then keep draining the output on a thread so the child never blocks on a full pipe.
        for line in self.process.stdout:
            self.output.append(line.rstrip())
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                self.url = m.group(1)
                break
        else:
            raise RuntimeError("the fake did not start:\n" + "\n".join(self.output))
        threading.Thread(target=lambda: [self.output.append(l.rstrip()) for l in self.process.stdout],
                         daemon=True).start()

    def stop(self):
        self.process.terminate()          # SIGTERM: a graceful stop
        self.process.wait(timeout=30)

    def control(self, method, path, payload=None, /, **query):
        """Calls /_fakehs/v1/<path> with a JSON payload and query parameters; answers (status, JSON).

        4xx answers are returned, not raised. The first three are positional-only: method=, path= and body= are
        query parameters of the waits.
        """
        url = self.url + "/_fakehs/v1" + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": "Bearer " + CONTROL_TOKEN, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=WAIT_MS / 1000 + 10) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def ok(self, method, path, payload=None, /, **query):
        status, answer = self.control(method, path, payload, **query)
        if status != 200:
            # A wait that timed out answers 408 with the failed expectation and what the fake saw: show it.
            raise AssertionError("%s %s -> %d\n%s" % (method, path, status, answer.get("error", answer)))
        return answer


class EchoBotTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        as_token, hs_token = secrets.token_hex(16), secrets.token_hex(16)
        cls.bot = EchoAppservice(as_token, hs_token).start()
        cls.dir = tempfile.TemporaryDirectory(prefix="python-echo-")
        registration = os.path.join(cls.dir.name, "echo.yaml")
        with open(registration, "w") as f:
            f.write("\n".join([
                "id: echo", "url: " + cls.bot.url, "as_token: " + as_token, "hs_token: " + hs_token,
                "sender_localpart: echobot", "rate_limited: false", "namespaces:", "  users:",
                "    - exclusive: true", "      regex: '@echo_.*:test'", ""]))
        cls.hs = FakeHomeserver(find_jar(), registration)
        cls.bot.homeserver = cls.hs.url

    @classmethod
    def tearDownClass(cls):
        cls.hs.stop()
        cls.bot.stop()
        cls.dir.cleanup()

    def setUp(self):
        # A clean server for every test; the bot forgets what it cached (docs/standalone.md, POST reset).
        self.hs.ok("POST", "/reset")
        self.bot.forget()

    def room_with_the_bot(self):
        """alice's public room, the bot invited; answers once the bot has handled the invite (joined)."""
        room = self.hs.ok("POST", "/rooms", {"creator": "@alice:test", "preset": "public_chat", "name": "Echo"})["room_id"]
        self.hs.ok("POST", "/rooms/%s/events" % q(room), {
            "sender": "@alice:test", "type": "m.room.member", "state_key": self.bot.bot,
            "content": {"membership": "invite"}})
        # The bot joins inside the transaction that carried the invite: once it is idle, it has joined.
        self.hs.ok("GET", "/appservices/echo/status", wait_ms=WAIT_MS, until="idle")
        return room

    def test_joins_when_invited(self):
        room = self.room_with_the_bot()
        members = self.hs.ok("GET", "/rooms/%s" % q(room))["members"]
        self.assertEqual(members.get(self.bot.bot), "join", self.bot.errors)

    def test_echoes_a_message(self):
        room = self.room_with_the_bot()
        self.hs.ok("POST", "/rooms/%s/events" % q(room), {
            "sender": "@alice:test", "type": "m.room.message", "content": {"msgtype": "m.text", "body": "!echo hello"}})

        timeline = self.hs.ok("GET", "/rooms/%s/timeline" % q(room), wait_ms=WAIT_MS, sender=self.bot.bot,
                              body="hello")

        last = timeline["events"][-1]
        self.assertEqual((last["sender"], last["content"]["msgtype"]), (self.bot.bot, "m.notice"))
        # And over the client-server API, as the journal of the fake recorded it.
        self.hs.ok("GET", "/journal", wait_ms=WAIT_MS, method="PUT", path="/rooms/*/send/m.room.message/*")

    def test_ignores_other_messages(self):
        room = self.room_with_the_bot()
        self.hs.ok("POST", "/rooms/%s/events" % q(room), {
            "sender": "@alice:test", "type": "m.room.message", "content": {"msgtype": "m.text", "body": "hello"}})
        # Waiting for the push to be acknowledged, then for idleness, is how to say "nothing happens" without a sleep.
        self.hs.ok("GET", "/transactions", wait_ms=WAIT_MS, appservice="echo", sender="@alice:test", body="hello")
        self.hs.ok("GET", "/appservices/echo/status", wait_ms=WAIT_MS, until="idle")
        bodies = [e["content"].get("body") for e in self.hs.ok("GET", "/rooms/%s/timeline" % q(room))["events"]
                  if e["sender"] == self.bot.bot and e["type"] == "m.room.message"]
        self.assertEqual(bodies, [])

    def test_a_wait_that_times_out_says_what_the_fake_saw(self):
        room = self.room_with_the_bot()
        status, answer = self.hs.control("GET", "/rooms/%s/timeline" % q(room), wait_ms=200, sender=self.bot.bot,
                                         body="never said")
        self.assertEqual(status, 408)
        self.assertEqual(answer["errcode"], "DEV.FAKEHOMESERVER.WAIT_TIMEOUT")
        self.assertIn("never said", answer["error"])
        self.assertIn("What the fake saw", answer["error"])   # the same text as the Java assertion's failure

    def test_refuses_a_push_with_the_wrong_hs_token(self):
        request = urllib.request.Request(self.bot.url + "/_matrix/app/v1/transactions/1", data=b'{"events": []}',
                                         method="PUT", headers={"Authorization": "Bearer wrong"})
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        self.assertEqual(refused.exception.code, 403)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].endswith(".jar"):
        os.environ["FAKEHS_JAR"] = sys.argv.pop(1)   # the jar is ours; the rest of the line is unittest's
    unittest.main(verbosity=2)
