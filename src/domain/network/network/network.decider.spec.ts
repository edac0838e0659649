import fc from 'fast-check';
import { specFor } from '../../../../test/support/decider-spec';
import { fold } from '../../shared/decider';
import { broadcast, formatIp, parseCidr, parseIp } from './ipv4';
import { NetworkCommand, NetworkEvent, networkDecider } from './network.decider';
import { subnetLayout } from './subnet';

const at = '2026-01-01T00:00:00.000Z';
const subnet = (cidr: string, gateway?: string, subnetId = 'sub-1') => subnetLayout({ subnetId, cidr, gateway });
const created: NetworkEvent = {
  type: 'NetworkCreated',
  data: { networkId: 'net-1', projectId: 'prj-1', name: 'n', vlan: 100, external: false, shared: false, subnets: [subnet('10.0.0.0/29')], at },
};
const spec = specFor(networkDecider);

describe('IPv4 helpers', () => {
  it('parses and formats addresses and CIDRs', () => {
    expect(formatIp(parseIp('192.168.10.255') as number)).toBe('192.168.10.255');
    expect(parseIp('256.1.1.1')).toBeNull();
    expect(parseIp('1.2.3')).toBeNull();
    expect(parseIp('01.2.3.4')).toBeNull();
    const c = parseCidr('10.1.0.0/16');
    expect(formatIp(broadcast(c))).toBe('10.1.255.255');
  });

  it.each(['10.0.0.1/24', '10.0.0.0/8', '10.0.0.0/30', 'garbage', '10.0.0.0/', '10.0.0.0/24/1', '300.0.0.0/24'])('refuses the CIDR %s', (text) => {
    expect(() => parseCidr(text)).toThrow(expect.objectContaining({ code: 'InvalidCidr' }));
  });
});

describe('Network decider', () => {
  it('creates a network with the first host address as default gateway', () =>
    spec
      .given([])
      .when({
        type: 'CreateNetwork',
        networkId: 'net-1',
        projectId: 'prj-1',
        name: 'n',
        subnets: [{ subnetId: 'sub-1', cidr: '10.0.0.0/29' }],
        vlan: 100,
        now: at,
      })
      .then([created]));

  it('refuses a gateway outside the CIDR and a VLAN out of range', () => {
    const base = { type: 'CreateNetwork' as const, networkId: 'net-1', projectId: 'prj-1', name: 'n', now: at };
    const withGateway = (gateway: string) => [{ subnetId: 'sub-1', cidr: '10.0.0.0/29', gateway }];
    spec
      .given([])
      .when({ ...base, vlan: 100, subnets: withGateway('10.0.1.1') })
      .thenThrows('InvalidGateway');
    spec
      .given([])
      .when({ ...base, vlan: 100, subnets: withGateway('10.0.0.7') })
      .thenThrows('InvalidGateway'); // broadcast
    spec
      .given([])
      .when({ ...base, vlan: 4095, subnets: [] })
      .thenThrows('InvalidVlan');
  });

  it('hands out the lowest free address, skipping the gateway, and honours a requested one', () => {
    spec
      .given([created])
      .when({ type: 'AllocateIp', portId: 'p1', now: at })
      .then([{ type: 'IpAllocated', data: { networkId: 'net-1', subnetId: 'sub-1', ip: '10.0.0.2', portId: 'p1', at } }]);
    spec
      .given([created])
      .when({ type: 'AllocateIp', portId: 'p1', ip: '10.0.0.5', now: at })
      .then([{ type: 'IpAllocated', data: { networkId: 'net-1', subnetId: 'sub-1', ip: '10.0.0.5', portId: 'p1', at } }]);
    spec.given([created]).when({ type: 'AllocateIp', portId: 'p1', ip: '10.0.0.1', now: at }).thenThrows('InvalidIp');
    spec.given([created]).when({ type: 'AllocateIp', portId: 'p1', ip: '10.0.0.9', now: at }).thenThrows('InvalidIp');
  });

  it('refuses an address in use, runs out when full, and refuses deleting a network with ports', () => {
    const used: NetworkEvent = { type: 'IpAllocated', data: { networkId: 'net-1', subnetId: 'sub-1', ip: '10.0.0.2', portId: 'p1', at } };
    spec.given([created, used]).when({ type: 'AllocateIp', portId: 'p2', ip: '10.0.0.2', now: at }).thenThrows('IpInUse');
    const full = ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'].map((ip, i): NetworkEvent => ({
      type: 'IpAllocated',
      data: { networkId: 'net-1', subnetId: 'sub-1', ip, portId: `p${i}`, at },
    }));
    spec
      .given([created, ...full])
      .when({ type: 'AllocateIp', portId: 'px', now: at })
      .thenThrows('NetworkFull');
    spec.given([created, used]).when({ type: 'DeleteNetwork', now: at }).thenThrows('NetworkInUse');
  });

  it('never binds an address twice and never hands out the gateway, whatever the sequence (property)', () => {
    const ports = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const command: fc.Arbitrary<NetworkCommand> = fc.oneof(
      fc.record({ type: fc.constant('AllocateIp' as const), portId: fc.constantFrom(...ports), now: fc.constant(at) }),
      fc.record({
        type: fc.constant('AllocateIp' as const),
        portId: fc.constantFrom(...ports),
        ip: fc.constantFrom('10.0.0.0', '10.0.0.1', '10.0.0.3', '10.0.0.6', '10.0.0.7', '10.0.0.8', 'x'),
        now: fc.constant(at),
      }),
      fc.record({ type: fc.constant('ReleaseIp' as const), portId: fc.constantFrom(...ports), now: fc.constant(at) }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 80 }), (commands) => {
        const events: NetworkEvent[] = [created];
        for (const c of commands) {
          try {
            events.push(...networkDecider.decide(c, fold(networkDecider, events)));
          } catch (error) {
            expect((error as { code?: string }).code).toMatch(/IpInUse|InvalidIp|NetworkFull|PortHasAddress/);
          }
          const state = fold(networkDecider, events);
          if (state.status !== 'active') throw new Error('network vanished');
          const held = new Map<string, string>();
          for (const e of events) {
            if (e.type === 'IpAllocated') {
              expect(held.has(e.data.ip)).toBe(false); // never bound twice at the same time
              held.set(e.data.ip, e.data.portId);
            }
            if (e.type === 'IpReleased') held.delete(e.data.ip);
          }
          expect(held.has('10.0.0.1')).toBe(false);
          expect([...held.keys()].every((ip) => ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'].includes(ip))).toBe(true);
          expect(new Set(held.values()).size).toBe(held.size); // one address per port
        }
      }),
      { numRuns: 300 },
    );
  });

  it('always hands out the lowest free address, whatever was allocated and released before (gateway in the middle)', () => {
    const mid: NetworkEvent = { type: 'NetworkCreated', data: { ...(created.data as object), subnets: [subnet('10.0.0.0/28', '10.0.0.5')] } as never };
    const hosts = Array.from({ length: 14 }, (_, i) => `10.0.0.${i + 1}`).filter((ip) => ip !== '10.0.0.5');
    const ports = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11', 'p12', 'p13', 'p14'];
    const command = fc.oneof(
      fc.record({ type: fc.constant('AllocateIp' as const), portId: fc.constantFrom(...ports), ip: fc.constantFrom(undefined, '10.0.0.9', '10.0.0.2') }),
      fc.record({ type: fc.constant('ReleaseIp' as const), portId: fc.constantFrom(...ports) }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 120 }), (commands) => {
        const events: NetworkEvent[] = [mid];
        for (const c of commands) {
          const before = fold(networkDecider, events);
          const held = new Set<string>();
          for (const e of events)
            if (e.type === 'IpAllocated') held.add(e.data.ip);
            else if (e.type === 'IpReleased') held.delete(e.data.ip);
          let decided: NetworkEvent[] = [];
          try {
            decided = networkDecider.decide({ ...c, now: at } as NetworkCommand, before);
          } catch (error) {
            const code = (error as { code?: string }).code;
            expect(code).toMatch(/IpInUse|NetworkFull|PortHasAddress/);
            if (code === 'NetworkFull') expect(hosts.every((ip) => held.has(ip))).toBe(true);
          }
          events.push(...decided);
          const allocated = decided.find((e) => e.type === 'IpAllocated');
          if (allocated && c.type === 'AllocateIp' && c.ip === undefined) expect(allocated.data.ip).toBe(hosts.find((ip) => !held.has(ip)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
