// An appservice on matrix-bot-sdk's Appservice class, with the query handlers of its documentation's example.
// It answers the message "probe" with "pong" as its bot. Usage: node bot-sdk.mjs HS_PORT AS_PORT HS_TOKEN AS_TOKEN
import { Appservice } from "matrix-bot-sdk";

const [hsPort, asPort, hsToken, asToken] = process.argv.slice(2);
const appservice = new Appservice({
  port: Number(asPort),
  bindAddress: "127.0.0.1",
  homeserverName: "test",
  homeserverUrl: `http://127.0.0.1:${hsPort}`,
  registration: {
    id: "sdk", hs_token: hsToken, as_token: asToken, sender_localpart: "sdkbot",
    url: `http://127.0.0.1:${asPort}`,
    namespaces: { users: [{ exclusive: true, regex: "@sdk_.*:test" }],
                  aliases: [{ exclusive: true, regex: "#sdk_.*:test" }], rooms: [] },
  },
});
appservice.on("query.user", (userId, createUser) => createUser({ display_name: "Test User " + userId }));
appservice.on("query.room", (alias, createRoom) => createRoom({ name: "Hello World", preset: "public_chat" }));
appservice.on("room.message", async (roomId, event) => {
  if (event.content?.body === "probe") {
    await appservice.botIntent.joinRoom(roomId);
    await appservice.botIntent.sendText(roomId, "pong");
  }
});
await appservice.begin();
console.log(`matrix-bot-sdk appservice listening on ${asPort}`);
