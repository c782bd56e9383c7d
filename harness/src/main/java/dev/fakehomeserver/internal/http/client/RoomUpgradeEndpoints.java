package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.RoomUpgrades;
import dev.fakehomeserver.internal.model.Services;

/** {@code POST /rooms/{roomId}/upgrade}: the body is checked here, the upgrade itself is {@link RoomUpgrades}. */
public final class RoomUpgradeEndpoints {
    private final RoomUpgrades upgrades;

    public RoomUpgradeEndpoints(Services services) {
        this.upgrades = new RoomUpgrades(services.model(), services.rooms());
    }

    public void register(RouteTable.Builder r) {
        r.client("POST", "/rooms/{roomId}/upgrade", AuthMode.REQUIRED, this::upgrade);
    }

    /**
     * Synapse's servlet: {@code new_version} must be present (M_MISSING_PARAM) and a known version, a non-string
     * included (M_UNSUPPORTED_ROOM_VERSION); only then the room, membership and power checks.
     */
    private Object upgrade(Call c) {
        ObjectNode b = c.object();
        RequiredParams.check(b, "new_version");
        JsonNode v = b.get("new_version");
        String version = CreateRoomChecks.knownVersion(v.isTextual() ? v.asText() : v.toString() + " (not a string)");
        String newRoom = upgrades.upgrade(c.who(), c.param("roomId"), version);
        return Json.object().put("replacement_room", newRoom);
    }
}
