// An appservice on matrix-appservice-bridge (Bridge over matrix-appservice-node), as its README starts one.
// It answers the message "probe" with "pong" as its bot. Usage: node appservice-bridge.mjs HS_PORT AS_PORT REG.yaml
import { Bridge } from "matrix-appservice-bridge";

const [hsPort, asPort, registration] = process.argv.slice(2);
const bridge = new Bridge({
  homeserverUrl: `http://127.0.0.1:${hsPort}`,
  domain: "test",
  registration,
  disableStores: true,
  disableContext: true,
  controller: {
    onUserQuery: () => ({}), // provision any user asked about
    onEvent: async (request) => {
      const event = request.getData();
      if (event.type === "m.room.message" && event.content?.body === "probe") {
        const intent = bridge.getIntent();
        await intent.join(event.room_id);
        await intent.sendText(event.room_id, "pong");
      }
    },
  },
});
await bridge.run(Number(asPort), undefined, "127.0.0.1");
console.log(`matrix-appservice-bridge appservice listening on ${asPort}`);
