package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.http.client.AccountDataEndpoints;
import dev.fakehomeserver.internal.http.client.AccountEndpoints;
import dev.fakehomeserver.internal.http.client.AppserviceEndpoints;
import dev.fakehomeserver.internal.http.client.DeviceEndpoints;
import dev.fakehomeserver.internal.http.client.DirectoryEndpoints;
import dev.fakehomeserver.internal.http.client.EphemeralEndpoints;
import dev.fakehomeserver.internal.http.client.MediaEndpoints;
import dev.fakehomeserver.internal.http.client.MembershipEndpoints;
import dev.fakehomeserver.internal.http.client.ProfileEndpoints;
import dev.fakehomeserver.internal.http.client.Relations;
import dev.fakehomeserver.internal.http.client.RoomEndpoints;
import dev.fakehomeserver.internal.http.client.ThirdPartyEndpoints;
import dev.fakehomeserver.internal.http.client.TimelineEndpoints;
import dev.fakehomeserver.internal.http.client.ClientInfoEndpoints;
import dev.fakehomeserver.internal.http.client.FilterEndpoints;
import dev.fakehomeserver.internal.http.client.KeysEndpoints;
import dev.fakehomeserver.internal.http.client.PushRuleEndpoints;
import dev.fakehomeserver.internal.http.client.SyncEndpoints;
import dev.fakehomeserver.internal.model.Services;

/**
 * The client-server API's one route table: every endpoint family registers its rows here. The auth matrix test
 * and the docs read the table this builds.
 */
public final class ClientApiRoutes {
    private ClientApiRoutes() {}

    public static RouteTable build(Services services) {
        RouteTable.Builder r = new RouteTable.Builder();
        Relations relations = new Relations(services.model());
        new AccountEndpoints(services).register(r);
        new ProfileEndpoints(services).register(r);
        new RoomEndpoints(services, relations).register(r);
        new MembershipEndpoints(services).register(r);
        new TimelineEndpoints(services, relations).register(r);
        new EphemeralEndpoints(services, relations).register(r);
        new DeviceEndpoints(services).register(r);
        new AccountDataEndpoints(services).register(r);
        new MediaEndpoints(services).register(r);
        new DirectoryEndpoints(services).register(r);
        new AppserviceEndpoints(services).register(r);
        new ThirdPartyEndpoints(services).register(r);
        new SyncEndpoints(services).register(r);
        new FilterEndpoints(services).register(r);
        new KeysEndpoints(services).register(r);
        new PushRuleEndpoints(services).register(r);
        new ClientInfoEndpoints(services).register(r);
        ClientApiRoutesCsapi.register(services, relations, r);
        return r.build();
    }
}
