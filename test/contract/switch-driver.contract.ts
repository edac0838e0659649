import { SwitchDriver } from '../../src/application/network/ports/switch-driver.port';

const segment = { networkId: 'net-c1', vlan: 101, cidr: '10.9.0.0/24', gateway: '10.9.0.1' };
const port = { portId: 'port-c1', networkId: 'net-c1', vlan: 101, mac: 'fa:16:3e:00:00:09', ip: '10.9.0.2', instanceId: 'inst-c1' };

/**
 * The one suite every SwitchDriver must pass. `nic` makes a guest's NIC exist for a port (a tap
 * device, for a switch that plugs real ones); the simulated switch needs none.
 */
export function switchDriverContract(make: () => Promise<{ driver: SwitchDriver; close(): Promise<void>; nic?(portId: string): Promise<void> }>): void {
  let driver: SwitchDriver;
  let close: () => Promise<void>;
  beforeEach(async () => {
    const made = await make();
    ({ driver, close } = made);
    await made.nic?.(port.portId);
  });
  afterEach(async () => close());

  it('ensures segments and plugs ports with their VLAN and MAC, idempotently', async () => {
    await driver.ensureSegment(segment);
    await driver.ensureSegment(segment);
    expect(await driver.listSegments()).toEqual([segment]);
    await driver.plugPort(port);
    await driver.plugPort(port);
    expect(await driver.listPorts()).toEqual([{ portId: 'port-c1', instanceId: 'inst-c1', vlan: 101, mac: 'fa:16:3e:00:00:09', rules: [], nat: null }]);
  });

  it('replaces security rules, maps and unmaps a floating IP, unplugs ports and removes segments', async () => {
    await driver.ensureSegment(segment);
    await driver.plugPort(port);
    const rule = { direction: 'ingress' as const, protocol: 'tcp' as const, portMin: 22, portMax: 22, cidr: '0.0.0.0/0' };
    await driver.applySecurityRules('port-c1', [rule]);
    expect((await driver.listPorts())[0].rules).toEqual([rule]);
    await driver.applySecurityRules('port-c1', []);
    expect((await driver.listPorts())[0].rules).toEqual([]);
    const unrouted = { floatingIp: '198.51.100.7', fixedIp: '10.9.0.2', routerId: null };
    await driver.setFloatingIp('port-c1', unrouted);
    await driver.setFloatingIp('port-c1', unrouted);
    expect((await driver.listPorts())[0].nat).toEqual(unrouted);
    await driver.setFloatingIp('port-c1', null);
    expect((await driver.listPorts())[0].nat).toBeNull();
    await driver.unplugPort('port-c1');
    await driver.unplugPort('port-c1');
    await driver.removeSegment('net-c1');
    expect(await driver.listPorts()).toEqual([]);
    expect(await driver.listSegments()).toEqual([]);
  });

  it('runs a router with a leg per subnet and one outside, changes its legs, maps a floating IP through it, and removes it', async () => {
    const router = {
      routerId: 'rtr-c1',
      legs: [
        { portId: 'port-r1', kind: 'interface' as const, vlan: 101, address: '10.9.0.1/24' },
        { portId: 'port-g1', kind: 'gateway' as const, vlan: 4000, address: '198.51.100.9/24' },
      ],
      upstream: '198.51.100.1',
    };
    await driver.ensureSegment({ ...segment, gateway: null }); // the router holds the gateway address
    await driver.plugPort(port);
    await driver.ensureRouter(router);
    await driver.ensureRouter(router);
    expect(await driver.listRouters()).toEqual([{ ...router, legs: expect.arrayContaining(router.legs) }]);
    const nat = { floatingIp: '198.51.100.20', fixedIp: '10.9.0.2', routerId: 'rtr-c1' };
    await driver.setFloatingIp('port-c1', nat);
    expect((await driver.listPorts())[0].nat).toEqual(nat);
    const second = { portId: 'port-r2', kind: 'interface' as const, vlan: 102, address: '10.8.0.1/24' };
    await driver.ensureRouter({ ...router, legs: [router.legs[1], second] });
    expect((await driver.listRouters())[0].legs).toEqual(expect.arrayContaining([router.legs[1], second]));
    expect((await driver.listRouters())[0].legs).toHaveLength(2);
    await driver.setFloatingIp('port-c1', null);
    expect((await driver.listPorts())[0].nat).toBeNull();
    await driver.removeRouter('rtr-c1');
    await driver.removeRouter('rtr-c1');
    expect(await driver.listRouters()).toEqual([]);
    await driver.unplugPort('port-c1');
    await driver.removeSegment('net-c1');
  });
}
