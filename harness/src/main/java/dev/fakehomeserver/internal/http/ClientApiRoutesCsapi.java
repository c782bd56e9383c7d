package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.http.client.AccountManagementEndpoints;
import dev.fakehomeserver.internal.http.client.CrossSigningEndpoints;
import dev.fakehomeserver.internal.http.client.HierarchyEndpoints;
import dev.fakehomeserver.internal.http.client.KeyBackupEndpoints;
import dev.fakehomeserver.internal.http.client.PublicRoomsEndpoints;
import dev.fakehomeserver.internal.http.client.RegisterEndpoints;
import dev.fakehomeserver.internal.http.client.RegistrationTokenEndpoints;
import dev.fakehomeserver.internal.http.client.RelationEndpoints;
import dev.fakehomeserver.internal.http.client.Relations;
import dev.fakehomeserver.internal.http.client.RoomInfoEndpoints;
import dev.fakehomeserver.internal.http.client.RoomUpgradeEndpoints;
import dev.fakehomeserver.internal.http.client.SearchEndpoints;
import dev.fakehomeserver.internal.http.client.ThreepidEndpoints;
import dev.fakehomeserver.internal.http.client.UserDirectoryEndpoints;
import dev.fakehomeserver.internal.model.Services;

/**
 * The endpoint families added for issue 24 (each checked against a Synapse 1.94), registered in one place so
 * that the shared route table's file changes by one line.
 */
final class ClientApiRoutesCsapi {
    private ClientApiRoutesCsapi() {}

    static void register(Services services, Relations relations, RouteTable.Builder r) {
        new RelationEndpoints(services.model(), relations).register(r);
        new HierarchyEndpoints(services.model()).register(r);
        new RoomUpgradeEndpoints(services).register(r);
        new UserDirectoryEndpoints(services.model()).register(r);
        new SearchEndpoints(services.model()).register(r);
        new RoomInfoEndpoints(services).register(r);
        new RegistrationTokenEndpoints().register(r);
        new RegisterEndpoints(services).register(r);
        new CrossSigningEndpoints(services).register(r);
        new KeyBackupEndpoints(services).register(r);
        new PublicRoomsEndpoints(services).register(r);
        new AccountManagementEndpoints(services).register(r);
        new ThreepidEndpoints(services).register(r);
    }
}
