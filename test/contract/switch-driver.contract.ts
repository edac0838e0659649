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
    expect(await driver.listPorts()).toEqual([{ portId: 'port-c1', instanceId: 'inst-c1', vlan: 101, mac: 'fa:16:3e:00:00:09', rules: [], floatingIp: null }]);
  });

  it('replaces security rules, maps and unmaps a floating IP, unplugs ports and removes segments', async () => {
    await driver.ensureSegment(segment);
    await driver.plugPort(port);
    const rule = { direction: 'ingress' as const, protocol: 'tcp' as const, portMin: 22, portMax: 22, cidr: '0.0.0.0/0' };
    await driver.applySecurityRules('port-c1', [rule]);
    expect((await driver.listPorts())[0].rules).toEqual([rule]);
    await driver.applySecurityRules('port-c1', []);
    expect((await driver.listPorts())[0].rules).toEqual([]);
    await driver.setFloatingIp('port-c1', '198.51.100.7');
    await driver.setFloatingIp('port-c1', '198.51.100.7');
    expect((await driver.listPorts())[0].floatingIp).toBe('198.51.100.7');
    await driver.setFloatingIp('port-c1', null);
    expect((await driver.listPorts())[0].floatingIp).toBeNull();
    await driver.unplugPort('port-c1');
    await driver.unplugPort('port-c1');
    await driver.removeSegment('net-c1');
    expect(await driver.listPorts()).toEqual([]);
    expect(await driver.listSegments()).toEqual([]);
  });
}
