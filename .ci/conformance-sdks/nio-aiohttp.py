"""An appservice in matrix-nio's usual pattern: nio has no appservice server, so bots pair an aiohttp web app
(the homeserver -> appservice API) with nio's AsyncClient on the as_token (the client-server API). The token
check, the txnId set and the routes are what such bots write. It answers the message "probe" with "pong".

Usage: python3 nio-aiohttp.py HS_PORT AS_PORT HS_TOKEN AS_TOKEN
"""
import sys

from aiohttp import web
from nio import AsyncClient

hs_port, as_port, hs_token, as_token = sys.argv[1:5]
seen = set()
client = AsyncClient(f"http://127.0.0.1:{hs_port}", "@sdkbot:test")
client.access_token = as_token
client.user_id = "@sdkbot:test"


def authorised(request):
    header = request.headers.get("Authorization", "")
    token = header[len("Bearer "):] if header.startswith("Bearer ") else request.query.get("access_token")
    return token == hs_token


def forbidden():
    return web.json_response({"errcode": "M_FORBIDDEN", "error": "Bad hs_token"}, status=403)


async def transaction(request):
    if not authorised(request):
        return forbidden()
    txn = request.match_info["txn"]
    body = await request.json()
    if txn not in seen:
        for event in body.get("events", []):
            if event.get("type") == "m.room.message" and event.get("content", {}).get("body") == "probe":
                await client.join(event["room_id"])
                await client.room_send(event["room_id"], "m.room.message", {"msgtype": "m.text", "body": "pong"})
        seen.add(txn)
    return web.json_response({})


async def user(request):
    if not authorised(request):
        return forbidden()
    return web.json_response({"errcode": "M_NOT_FOUND", "error": "No such user"}, status=404)


async def room(request):
    if not authorised(request):
        return forbidden()
    return web.json_response({"errcode": "M_NOT_FOUND", "error": "No such alias"}, status=404)


async def ping(request):
    if not authorised(request):
        return forbidden()
    return web.json_response({})


app = web.Application()
app.add_routes([
    web.put("/_matrix/app/v1/transactions/{txn}", transaction),
    web.get("/_matrix/app/v1/users/{user}", user),
    web.get("/_matrix/app/v1/rooms/{alias}", room),
    web.post("/_matrix/app/v1/ping", ping),
])
web.run_app(app, host="127.0.0.1", port=int(as_port), print=None)
