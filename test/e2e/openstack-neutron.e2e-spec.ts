import { requestedEventsSince } from '../support/events';
import { randomUUID } from 'node:crypto';
import { describeWithPostgres } from '../support/services';
import { eventually } from '../support/eventually';
import { nova, openStackCloud } from '../support/openstack-cloud';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Neutron's networks, subnets and routers over HTTP, as the clients drive them, and networks written before subnets existed. */
for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Neutron networks, subnets and routers (${store})`, () => {
    const cloud = openStackCloud(store);
    const as = (token: string) => ({
      get: (path: string) => cloud.running.http.get(`/network/v2.0${path}`).set(nova(token)),
      post: (path: string, body: object) => cloud.running.http.post(`/network/v2.0${path}`).set(nova(token)).send(body),
      put: (path: string, body: object) => cloud.running.http.put(`/network/v2.0${path}`).set(nova(token)).send(body),
      delete: (path: string) => cloud.running.http.delete(`/network/v2.0${path}`).set(nova(token)),
    });

    it('builds a tenant network in the four steps of the CLI, refuses what would break it, and takes it apart again', async () => {
      const alice = as(cloud.alice);
      const network: Body = (await alice.post('/networks', { network: { name: 'tenant', admin_state_up: true } })).body.network;
      expect(network).toMatchObject({ name: 'tenant', subnets: [], 'router:external': false, shared: false });
      const subnetA: Body = (
        await alice.post('/subnets', {
          subnet: { network_id: network.id, name: 'a', ip_version: 4, cidr: '10.20.0.0/24', dns_nameservers: ['10.20.0.53'] },
        })
      ).body.subnet;
      expect(subnetA).toMatchObject({ cidr: '10.20.0.0/24', gateway_ip: '10.20.0.1', allocation_pools: [{ start: '10.20.0.2', end: '10.20.0.254' }] });
      const subnetB = await alice.post('/subnets', {
        subnet: { network_id: network.id, name: 'b', cidr: '10.21.0.0/24', gateway_ip: null, allocation_pools: [{ start: '10.21.0.10', end: '10.21.0.20' }] },
      });
      expect(subnetB.status).toBe(201);
      expect(subnetB.body.subnet).toMatchObject({ gateway_ip: null, allocation_pools: [{ start: '10.21.0.10', end: '10.21.0.20' }] });
      const overlapping = await alice.post('/subnets', { subnet: { network_id: network.id, cidr: '10.20.0.128/25' } });
      expect([overlapping.status, overlapping.body.NeutronError?.type]).toEqual([409, 'SubnetOverlaps']);
      expect((await alice.post('/subnets', { subnet: { network_id: network.id, cidr: '10.22.0.0/24', ip_version: 6 } })).status).toBe(400);
      const ofNetwork = (await alice.get(`/subnets?network_id=${network.id}`)).body.subnets;
      expect(ofNetwork.map((s: Body) => s.name).sort()).toEqual(['a', 'b']);
      expect((await alice.get(`/networks/${network.id}`)).body.network.subnets).toEqual([subnetA.id, subnetB.body.subnet.id]);

      const router: Body = (await alice.post('/routers', { router: { name: 'edge' } })).body.router;
      expect(router).toMatchObject({ name: 'edge', external_gateway_info: null, status: 'ACTIVE' });
      const joined = await alice.put(`/routers/${router.id}/add_router_interface`, { subnet_id: subnetA.id });
      expect(joined.body).toMatchObject({ id: router.id, subnet_id: subnetA.id, port_id: expect.stringMatching(/^port-/) });
      const noGateway = await alice.put(`/routers/${router.id}/add_router_interface`, { subnet_id: subnetB.body.subnet.id });
      expect([noGateway.status, noGateway.body.NeutronError?.type]).toEqual([400, 'SubnetHasNoGateway']);
      const second: Body = (await alice.post('/routers', { router: { name: 'rival' } })).body.router;
      const taken = await alice.put(`/routers/${second.id}/add_router_interface`, { subnet_id: subnetA.id });
      expect([taken.status, taken.body.NeutronError?.type]).toEqual([409, 'GatewayInUse']);
      const withGateway = await alice.put(`/routers/${router.id}`, { router: { external_gateway_info: { network_id: 'net-external' } } });
      expect(withGateway.body.router.external_gateway_info).toMatchObject({
        network_id: 'net-external',
        enable_snat: true,
        external_fixed_ips: [{ subnet_id: 'subnet-external', ip_address: expect.stringMatching(/^198\.51\.100\./) }],
      });
      const legs = (await alice.get(`/ports?device_id=${router.id}`)).body.ports;
      expect(legs.map((p: Body) => [p.device_owner, p.fixed_ips[0].ip_address]).sort()).toEqual([
        ['network:router_gateway', withGateway.body.router.external_gateway_info.external_fixed_ips[0].ip_address],
        ['network:router_interface', '10.20.0.1'],
      ]);
      expect(legs.find((p: Body) => p.device_owner === 'network:router_interface').fixed_ips[0].subnet_id).toBe(subnetA.id);

      // Taking it apart in the wrong order is refused and changes nothing.
      const head = await cloud.running.store.headPosition();
      const subnetInUse = await alice.delete(`/subnets/${subnetA.id}`);
      expect([subnetInUse.status, subnetInUse.body.NeutronError?.type]).toEqual([409, 'SubnetInUse']);
      expect((await alice.delete(`/networks/${network.id}`)).status).toBe(409);
      expect((await alice.delete(`/routers/${router.id}`)).status).toBe(409);
      expect(await requestedEventsSince(cloud.running.store, head)).toEqual([]);

      expect((await alice.put(`/routers/${router.id}/remove_router_interface`, { subnet_id: subnetA.id })).body.subnet_id).toBe(subnetA.id);
      expect((await alice.delete(`/routers/${router.id}`)).status).toBe(204);
      expect((await alice.delete(`/routers/${second.id}`)).status).toBe(204);
      expect((await alice.get(`/ports?device_id=${router.id}`)).body.ports).toEqual([]);
      expect((await alice.delete(`/subnets/${subnetA.id}`)).status).toBe(204);
      expect((await alice.delete(`/networks/${network.id}`)).status).toBe(204);
      expect((await alice.get('/routers')).body.routers).toEqual([]);
      expect((await alice.get(`/subnets?network_id=${network.id}`)).body.subnets).toEqual([]);
    });

    it('lets only an admin make an external network, which every project then sees and routes its gateway through', async () => {
      const alice = as(cloud.alice);
      const admin = as(cloud.admin);
      const refused = await alice.post('/networks', { network: { name: 'mine-external', 'router:external': true } });
      expect(refused.status).toBe(403);
      const external: Body = (await admin.post('/networks', { network: { name: 'provider', 'router:external': true } })).body.network;
      expect(external).toMatchObject({ 'router:external': true, 'provider:network_type': 'vlan' });
      await admin.post('/subnets', { subnet: { network_id: external.id, cidr: '172.30.0.0/24' } });
      const seen = (await alice.get('/networks?router:external=true')).body.networks.map((n: Body) => n.name).sort();
      expect(seen).toEqual(['provider', 'public']);
      const router: Body = (await alice.post('/routers', { router: { name: 'out', external_gateway_info: { network_id: external.id } } })).body.router;
      expect(router.external_gateway_info.external_fixed_ips[0].ip_address).toBe('172.30.0.2');
      expect((await alice.delete(`/networks/${external.id}`)).status).toBe(404); // seen, not hers
      expect((await alice.put(`/routers/${router.id}`, { router: { external_gateway_info: {} } })).body.router.external_gateway_info).toBeNull();
      expect((await alice.delete(`/routers/${router.id}`)).status).toBe(204);
      expect((await admin.delete(`/networks/${external.id}`)).status).toBe(204);
    });

    it('reads a network written before subnets existed (schema 1) as one with a single subnet, and allocates on it', async () => {
      const networkId = `net-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
      const metadata = {
        principal: 'test',
        projectId: cloud.projectId,
        requestId: null,
        correlationId: randomUUID(),
        causationId: null,
        at: new Date().toISOString(),
      };
      const v1 = (type: string, data: object) => ({ id: randomUUID(), type, schemaVersion: 1, data, metadata });
      await cloud.running.store.append(
        `network-${networkId}`,
        [
          v1('NetworkCreated', {
            networkId,
            projectId: cloud.projectId,
            name: 'legacy',
            cidr: '10.30.0.0/29',
            gateway: '10.30.0.1',
            vlan: 3999,
            at: metadata.at,
          }),
          v1('IpAllocated', { networkId, ip: '10.30.0.2', portId: 'port-legacy', at: metadata.at }),
        ],
        'no_stream',
      );
      const alice = as(cloud.alice);
      const network: Body = await eventually(
        async () => (await alice.get(`/networks/${networkId}`)).body.network,
        (n) => n !== undefined,
        'the legacy network in the read model',
      );
      const subnetId = networkId.replace(/^net-/, 'subnet-');
      expect(network.subnets).toEqual([subnetId]);
      expect((await alice.get(`/subnets/${subnetId}`)).body.subnet).toMatchObject({
        cidr: '10.30.0.0/29',
        gateway_ip: '10.30.0.1',
        allocation_pools: [{ start: '10.30.0.2', end: '10.30.0.6' }],
      });
      // The address the old event gave is still taken: a router takes the gateway, a new subnet fits beside it.
      const router: Body = (await alice.post('/routers', { router: { name: 'legacy-edge' } })).body.router;
      expect((await alice.put(`/routers/${router.id}/add_router_interface`, { subnet_id: subnetId })).status).toBe(200);
      const rest = await cloud.running.http.get(`/v1/networks/${networkId}`).set({ authorization: `Bearer ${cloud.alice}` });
      expect(rest.body).toMatchObject({ cidr: '10.30.0.0/29', gateway: '10.30.0.1', usedIps: 2 });
      expect((await alice.put(`/routers/${router.id}/remove_router_interface`, { subnet_id: subnetId })).status).toBe(200);
      expect((await alice.delete(`/routers/${router.id}`)).status).toBe(204);
    });
  });
}
