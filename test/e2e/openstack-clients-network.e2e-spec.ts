import { ADMIN_PASSWORD, Backing, RunningApp, createBacking, startApp } from '../support/app';
import { describeWithOpenStackClients, describeWithPostgres } from '../support/services';
import { OpenStackLogin, baseUrlOf, openStackEnv, openstackJson, prepareCloud, pythonJson, runClient, sdkConnectionAs } from '../support/openstack-clients';

type Row = Record<string, unknown>;

/** The network path driven by the real clients: the CLI's four steps to a routed tenant network, and openstacksdk's. */
for (const store of ['embedded', 'postgres'] as const) {
  const describeHere = store === 'postgres' ? (describeWithPostgres === describe ? describeWithOpenStackClients : describe.skip) : describeWithOpenStackClients;
  describeHere(`Networks, subnets and routers with the real OpenStack clients (${store})`, () => {
    jest.setTimeout(240_000);
    let backing: Backing;
    let running: RunningApp;
    let env: NodeJS.ProcessEnv;
    const alice: OpenStackLogin = { username: 'alice', password: 'alice long password', project: 'demo' };
    const os = <T = unknown>(...args: string[]) => openstackJson<T>(env, ...args);
    const cli = (...args: string[]) => runClient('/usr/bin/openstack', args, env);

    beforeAll(async () => {
      backing = await createBacking(store);
      running = await startApp(backing);
      const admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      await prepareCloud(running, admin, alice);
      env = openStackEnv(baseUrlOf(running), alice);
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('builds a routed tenant network in four steps, boots a server with a floating IP on it, and takes it all down', async () => {
      const network = await os<Row>('network', 'create', 'tenant');
      expect(network).toMatchObject({ name: 'tenant', subnets: [] });
      const subnet = await os<Row>(
        'subnet',
        'create',
        '--network',
        'tenant',
        '--subnet-range',
        '10.40.0.0/24',
        '--dns-nameserver',
        '10.40.0.53',
        'tenant-subnet',
      );
      expect(subnet).toMatchObject({ cidr: '10.40.0.0/24', gateway_ip: '10.40.0.1', network_id: network.id });
      await os<Row>('router', 'create', 'edge');
      await cli('router', 'add', 'subnet', 'edge', 'tenant-subnet');
      await cli('router', 'set', '--external-gateway', 'public', 'edge');
      const router = await os<{ external_gateway_info: { network_id: string; external_fixed_ips: Array<{ ip_address: string }> }; interfaces_info: unknown }>(
        'router',
        'show',
        'edge',
      );
      expect(router.external_gateway_info.network_id).toBe('net-external');
      expect(router.external_gateway_info.external_fixed_ips[0].ip_address).toMatch(/^198\.51\.100\./);
      const routerPorts = await os<Array<{ 'Fixed IP Addresses': unknown }>>('port', 'list', '--router', 'edge');
      expect(JSON.stringify(routerPorts)).toContain('10.40.0.1');

      await os('server', 'create', '--flavor', 'm1.small', '--image', 'cirros', '--network', 'tenant', '--wait', 'routed');
      const fip = await os<{ floating_ip_address: string; id: string }>('floating', 'ip', 'create', 'public');
      await cli('server', 'add', 'floating', 'ip', 'routed', fip.floating_ip_address);
      const addresses = JSON.stringify((await os<{ addresses: unknown }>('server', 'show', 'routed')).addresses);
      expect(addresses).toMatch(/10\.40\.0\.\d+/);
      expect(addresses).toContain(fip.floating_ip_address);

      const inUse = await runClient('/usr/bin/openstack', ['subnet', 'delete', 'tenant-subnet'], env).catch((error: Error) => error);
      expect(String(inUse)).toMatch(/409|in use|InUse/i);
      await cli('floating', 'ip', 'delete', fip.id);
      await cli('server', 'delete', '--wait', 'routed');
      await cli('router', 'unset', '--external-gateway', 'edge');
      await cli('router', 'remove', 'subnet', 'edge', 'tenant-subnet');
      await cli('router', 'delete', 'edge');
      await cli('subnet', 'delete', 'tenant-subnet');
      await cli('network', 'delete', 'tenant');
      expect(await os('router', 'list')).toEqual([]);
      expect((await os<Array<{ Name: string }>>('network', 'list')).map((n) => n.Name).sort()).toEqual(['private', 'public']);
      expect(await os('port', 'list')).toEqual([]);
    });

    it('boots a server on a port made beforehand, which outlives the server', async () => {
      await os('network', 'create', 'ports-net');
      await os('subnet', 'create', '--network', 'ports-net', '--subnet-range', '10.42.0.0/24', 'ports-subnet');
      const port = await os<{ id: string; fixed_ips: unknown; mac_address: string }>(
        'port',
        'create',
        '--network',
        'ports-net',
        '--fixed-ip',
        'subnet=ports-subnet,ip-address=10.42.0.42',
        'mine',
      );
      expect(JSON.stringify(port.fixed_ips)).toContain('10.42.0.42');
      const server = await os<{ id: string; addresses: unknown }>(
        'server',
        'create',
        '--flavor',
        'm1.small',
        '--image',
        'cirros',
        '--port',
        port.id,
        '--wait',
        'on-port',
      );
      expect(JSON.stringify(server.addresses)).toContain('10.42.0.42');
      expect((await os<{ device_id: string; device_owner: string; status: string }>('port', 'show', 'mine')).device_id).toBe(server.id);
      const busy = await runClient('/usr/bin/openstack', ['port', 'delete', 'mine'], env).catch((error: Error) => error);
      expect(String(busy)).toMatch(/409|in use/i);
      await cli('server', 'delete', '--wait', 'on-port');
      const left = await os<{ device_id: string; fixed_ips: unknown; mac_address: string }>('port', 'show', 'mine');
      expect(left).toMatchObject({ device_id: '', mac_address: port.mac_address });
      expect(JSON.stringify(left.fixed_ips)).toContain('10.42.0.42');
      await cli('port', 'delete', 'mine');
      await cli('subnet', 'delete', 'ports-subnet');
      await cli('network', 'delete', 'ports-net');
    });

    it('shows the quotas of network and volume, and builds a network, subnet and router with openstacksdk', async () => {
      // Debian 12's CLI shows compute, volume and network quotas together (from Nova, Cinder and Neutron).
      const quota = JSON.stringify(await os<Row>('quota', 'show'));
      for (const field of ['"networks"', '"floating-ips"', '"routers"', '"volumes"', '"instances"']) expect(quota).toContain(field);
      const made = await pythonJson<{ subnet: string; gateway: string; interfaces: number }>(
        sdkConnectionAs(baseUrlOf(running), alice) +
          [
            "net = conn.network.create_network(name='sdk-net')",
            "sub = conn.network.create_subnet(network_id=net.id, ip_version=4, cidr='10.41.0.0/24', name='sdk-sub')",
            "r = conn.network.create_router(name='sdk-router', external_gateway_info={'network_id': conn.network.find_network('public').id})",
            'conn.network.add_interface_to_router(r, subnet_id=sub.id)',
            'r = conn.network.get_router(r.id)',
            'ports = list(conn.network.ports(device_id=r.id))',
            'conn.network.remove_interface_from_router(r, subnet_id=sub.id)',
            'conn.network.delete_router(r)',
            'conn.network.delete_subnet(sub)',
            'conn.network.delete_network(net)',
            "print(json.dumps({'subnet': sub.cidr, 'gateway': r.external_gateway_info['external_fixed_ips'][0]['ip_address'], 'interfaces': len(ports)}))",
          ].join('\n'),
        env,
      );
      expect(made).toMatchObject({ subnet: '10.41.0.0/24', gateway: expect.stringMatching(/^198\.51\.100\./), interfaces: 2 });
    });
  });
}
