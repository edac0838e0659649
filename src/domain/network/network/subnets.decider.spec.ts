import { specFor } from '../../../../test/support/decider-spec';
import { fold } from '../../shared/decider';
import { NetworkEvent, networkDecider } from './network.decider';
import { NETWORK_UPCASTS } from './network.upcasts';
import { eventSchemas } from '../../shared/event-upcast';
import { legacySubnetId, subnetLayout } from './subnet';
import { parseIp } from './ipv4';

const at = '2026-01-01T00:00:00.000Z';
const spec = specFor(networkDecider);
const bare: NetworkEvent = {
  type: 'NetworkCreated',
  data: { networkId: 'net-1', projectId: 'prj-1', name: 'n', vlan: 100, external: false, shared: false, subnets: [], at },
};
const subnetA = subnetLayout({ subnetId: 'sub-a', cidr: '10.0.0.0/29' });
const subnetB = subnetLayout({ subnetId: 'sub-b', cidr: '10.0.1.0/29', allocationPools: [{ start: '10.0.1.4', end: '10.0.1.5' }] });
const added = (subnet = subnetA): NetworkEvent => ({ type: 'SubnetCreated', data: { networkId: 'net-1', projectId: 'prj-1', subnet, at } });
const allocated = (ip: string, portId: string, subnetId = 'sub-a'): NetworkEvent => ({
  type: 'IpAllocated',
  data: { networkId: 'net-1', subnetId, ip, portId, at },
});

describe('Subnet layout', () => {
  it('defaults the gateway to the first host and the pool to every other host', () => {
    expect(subnetA).toEqual(expect.objectContaining({ gateway: '10.0.0.1', allocationPools: [{ start: '10.0.0.2', end: '10.0.0.6' }], enableDhcp: true }));
    expect(subnetLayout({ subnetId: 's', cidr: '10.0.0.0/29', gateway: '10.0.0.4' }).allocationPools).toEqual([
      { start: '10.0.0.1', end: '10.0.0.3' },
      { start: '10.0.0.5', end: '10.0.0.6' },
    ]);
    expect(subnetLayout({ subnetId: 's', cidr: '10.0.0.0/29', gateway: null }).allocationPools).toEqual([{ start: '10.0.0.1', end: '10.0.0.6' }]);
  });

  it.each([
    [{ gateway: '10.0.0.3', allocationPools: [{ start: '10.0.0.2', end: '10.0.0.5' }] }, 'GatewayInPool'],
    [{ allocationPools: [{ start: '10.0.0.5', end: '10.0.0.3' }] }, 'InvalidPool'],
    [{ allocationPools: [{ start: '10.0.0.2', end: '10.0.0.9' }] }, 'InvalidAddress'],
    [
      {
        allocationPools: [
          { start: '10.0.0.2', end: '10.0.0.4' },
          { start: '10.0.0.4', end: '10.0.0.5' },
        ],
      },
      'OverlappingPools',
    ],
    [{ dnsNameservers: ['nope'] }, 'InvalidAddress'],
    [{ hostRoutes: [{ destination: '10.9.0.0/16', nexthop: 'x' }] }, 'InvalidAddress'],
  ])('refuses %j (%s)', (request, code) => {
    expect(() => subnetLayout({ subnetId: 's', cidr: '10.0.0.0/29', ...request })).toThrow(expect.objectContaining({ code }));
  });
});

describe('Network decider with subnets', () => {
  it('has no address to give before a subnet exists', () =>
    spec.given([bare]).when({ type: 'AllocateIp', portId: 'p1', now: at }).thenThrows('NetworkHasNoSubnet'));

  it('adds subnets that do not overlap, and a retried add changes nothing', () => {
    spec
      .given([bare])
      .when({ type: 'AddSubnet', subnet: { subnetId: 'sub-a', cidr: '10.0.0.0/29' }, now: at })
      .then([added()]);
    spec
      .given([bare, added()])
      .when({ type: 'AddSubnet', subnet: { subnetId: 'sub-a', cidr: '10.0.0.0/29' }, now: at })
      .then([]);
    spec
      .given([bare, added()])
      .when({ type: 'AddSubnet', subnet: { subnetId: 'sub-x', cidr: '10.0.0.0/28' }, now: at })
      .thenThrows('SubnetOverlaps');
  });

  it('takes from the first subnet with room, from a named subnet within its pools, and a fixed address from its own subnet', () => {
    const given = [bare, added(), added(subnetB)];
    spec
      .given(given)
      .when({ type: 'AllocateIp', portId: 'p1', now: at })
      .then([allocated('10.0.0.2', 'p1')]);
    spec
      .given(given)
      .when({ type: 'AllocateIp', portId: 'p1', subnetId: 'sub-b', now: at })
      .then([allocated('10.0.1.4', 'p1', 'sub-b')]);
    spec
      .given(given)
      .when({ type: 'AllocateIp', portId: 'p1', ip: '10.0.1.2', now: at })
      .then([allocated('10.0.1.2', 'p1', 'sub-b')]);
    const full = [...given, allocated('10.0.1.4', 'a', 'sub-b'), allocated('10.0.1.5', 'b', 'sub-b')];
    spec.given(full).when({ type: 'AllocateIp', portId: 'p1', subnetId: 'sub-b', now: at }).thenThrows('NetworkFull');
  });

  it('gives a gateway address only to a router interface, and once', () => {
    const given = [bare, added()];
    spec.given(given).when({ type: 'AllocateIp', portId: 'p1', ip: '10.0.0.1', now: at }).thenThrows('InvalidIp');
    spec
      .given(given)
      .when({ type: 'AllocateIp', portId: 'r1', ip: '10.0.0.1', gateway: true, now: at })
      .then([allocated('10.0.0.1', 'r1')]);
    spec
      .given([...given, allocated('10.0.0.1', 'r1')])
      .when({ type: 'AllocateIp', portId: 'r2', ip: '10.0.0.1', gateway: true, now: at })
      .thenThrows('IpInUse');
  });

  it('refuses deleting a subnet with an address in use (a router interface too), and deletes the subnets with their network', () => {
    spec
      .given([bare, added(), allocated('10.0.0.1', 'r1')])
      .when({ type: 'DeleteSubnet', subnetId: 'sub-a', now: at })
      .thenThrows('SubnetInUse');
    const released: NetworkEvent = { type: 'IpReleased', data: { networkId: 'net-1', subnetId: 'sub-a', ip: '10.0.0.1', portId: 'r1', at } };
    spec
      .given([bare, added(), allocated('10.0.0.1', 'r1'), released])
      .when({ type: 'DeleteSubnet', subnetId: 'sub-a', now: at })
      .then([{ type: 'SubnetDeleted', data: { networkId: 'net-1', projectId: 'prj-1', subnetId: 'sub-a', at } }]);
    spec
      .given([bare, added()])
      .when({ type: 'DeleteNetwork', now: at })
      .then([
        { type: 'SubnetDeleted', data: { networkId: 'net-1', projectId: 'prj-1', subnetId: 'sub-a', at } },
        { type: 'NetworkDeleted', data: { networkId: 'net-1', projectId: 'prj-1', vlan: 100, at } },
      ]);
  });
});

describe('Network events of schema 1 (one CIDR folded into the network)', () => {
  const schemas = eventSchemas(NETWORK_UPCASTS);
  const read = (type: string, data: unknown) => ({ type, data: schemas.upcast(type, 1, data) }) as NetworkEvent;

  it('read as a network with one subnet, its addresses on that subnet, and decide as a network made today would', () => {
    const v1 = [
      read('NetworkCreated', { networkId: 'net-9f', projectId: 'prj-1', name: 'old', cidr: '10.0.0.0/29', gateway: '10.0.0.1', vlan: 7, at }),
      read('IpAllocated', { networkId: 'net-9f', ip: '10.0.0.2', portId: 'p1', at }),
      read('IpAllocated', { networkId: 'net-9f', ip: '10.0.0.3', portId: 'p2', at }),
      read('IpReleased', { networkId: 'net-9f', ip: '10.0.0.2', portId: 'p1', at }),
    ];
    expect(schemas.currentVersion('NetworkCreated')).toBe(2);
    expect(schemas.currentVersion('SubnetCreated')).toBe(1);
    const state = fold(networkDecider, v1);
    if (state.status !== 'active') throw new Error('not active');
    expect(state.subnets).toEqual([subnetLayout({ subnetId: legacySubnetId('net-9f'), cidr: '10.0.0.0/29', gateway: '10.0.0.1' })]);
    expect(state.subnets[0].subnetId).toBe('subnet-9f');
    expect(state.usage['subnet-9f']).toEqual({ used: 1, freeFrom: parseIp('10.0.0.2') });
    expect(networkDecider.decide({ type: 'AllocateIp', portId: 'p3', now: at }, state)).toEqual([
      { type: 'IpAllocated', data: { networkId: 'net-9f', subnetId: 'subnet-9f', ip: '10.0.0.2', portId: 'p3', at } },
    ]);
  });
});
