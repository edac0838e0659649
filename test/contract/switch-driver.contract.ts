import { SwitchDriver } from '../../src/application/network/ports/switch-driver.port';

export function switchDriverContract(make: () => Promise<{ driver: SwitchDriver; close(): Promise<void> }>): void {
  let driver: SwitchDriver;
  let close: () => Promise<void>;
  beforeEach(async () => ({ driver, close } = await make()));
  afterEach(async () => close());

  const segment = { networkId: 'net-c1', vlan: 101, cidr: '10.9.0.0/24', gateway: '10.9.0.1' };
  const port = { portId: 'port-c1', networkId: 'net-c1', vlan: 101, mac: 'fa:16:3e:00:00:09', ip: '10.9.0.2', instanceId: 'inst-c1' };

  it('ensures segments and plugs ports with their VLAN and MAC, idempotently', async () => {
    await driver.ensureSegment(segment);
    await driver.ensureSegment(segment);
    expect(await driver.listSegments()).toEqual([segment]);
    await driver.plugPort(port);
    await driver.plugPort(port);
    expect(await driver.listPorts()).toEqual([{ portId: 'port-c1', vlan: 101, mac: 'fa:16:3e:00:00:09', rules: [] }]);
  });

  it('replaces security rules, unplugs ports and removes segments', async () => {
    await driver.ensureSegment(segment);
    await driver.plugPort(port);
    const rule = { direction: 'ingress' as const, protocol: 'tcp' as const, portMin: 22, portMax: 22, cidr: '0.0.0.0/0' };
    await driver.applySecurityRules('port-c1', [rule]);
    expect((await driver.listPorts())[0].rules).toEqual([rule]);
    await driver.applySecurityRules('port-c1', []);
    expect((await driver.listPorts())[0].rules).toEqual([]);
    await driver.unplugPort('port-c1');
    await driver.unplugPort('port-c1');
    await driver.removeSegment('net-c1');
    expect(await driver.listPorts()).toEqual([]);
    expect(await driver.listSegments()).toEqual([]);
  });
}
