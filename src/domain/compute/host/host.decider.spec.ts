import fc from 'fast-check';
import { specFor } from '../../../../test/support/decider-spec';
import { fold } from '../../shared/decider';
import { HostCommand, HostEvent, hostDecider, schedulableCapacity, usedResources } from './host.decider';
import { rankHosts } from './scheduler';

const at = '2026-01-01T00:00:00.000Z';
const registered: HostEvent = {
  type: 'HostRegistered',
  data: {
    hostId: 'host-1',
    name: 'h1',
    driver: 'simulated',
    uri: null,
    zone: 'az1',
    capacity: { vcpus: 2, ramMiB: 4096, diskGiB: 100 },
    ratios: { cpu: 16, ram: 1.5, disk: 1 },
    at,
  },
};
const spec = specFor(hostDecider);

describe('Host decider', () => {
  it('registers a host with Nova default allocation ratios', () =>
    spec
      .given([])
      .when({
        type: 'RegisterHost',
        hostId: 'host-1',
        name: 'h1',
        driver: 'simulated',
        uri: null,
        zone: 'az1',
        capacity: { vcpus: 2, ramMiB: 4096, diskGiB: 100 },
        now: at,
      })
      .then([registered]));

  it('claims within the overcommitted capacity and refuses beyond it', () => {
    expect(schedulableCapacity(registered.data.capacity, registered.data.ratios)).toEqual({ vcpus: 32, ramMiB: 6144, diskGiB: 100 });
    const claim: HostEvent = { type: 'ResourcesClaimed', data: { hostId: 'host-1', claimId: 'i1', resources: { vcpus: 32, ramMiB: 6000, diskGiB: 10 }, at } };
    spec.given([registered]).when({ type: 'ClaimResources', claimId: 'i1', resources: claim.data.resources, now: at }).then([claim]);
    spec
      .given([registered, claim])
      .when({ type: 'ClaimResources', claimId: 'i2', resources: { vcpus: 1, ramMiB: 1, diskGiB: 1 }, now: at })
      .thenThrows('HostFull');
    spec.given([registered, claim]).when({ type: 'ClaimResources', claimId: 'i1', resources: claim.data.resources, now: at }).then([]);
  });

  it('refuses claims on a disabled host', () =>
    spec
      .given([registered, { type: 'HostDisabled', data: { hostId: 'host-1', reason: 'maintenance', at } }])
      .when({ type: 'ClaimResources', claimId: 'i1', resources: { vcpus: 1, ramMiB: 1, diskGiB: 1 }, now: at })
      .thenThrows('HostDisabled'));

  it('never overcommits, whatever the sequence of claims and releases (property)', () => {
    const claimIds = ['a', 'b', 'c', 'd', 'e', 'f'];
    const command: fc.Arbitrary<HostCommand> = fc.oneof(
      fc.record({
        type: fc.constant('ClaimResources' as const),
        claimId: fc.constantFrom(...claimIds),
        resources: fc.record({ vcpus: fc.integer({ min: 0, max: 12 }), ramMiB: fc.integer({ min: 0, max: 3000 }), diskGiB: fc.integer({ min: 0, max: 60 }) }),
        now: fc.constant(at),
      }),
      fc.record({ type: fc.constant('ReleaseClaim' as const), claimId: fc.constantFrom(...claimIds), now: fc.constant(at) }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const events: HostEvent[] = [registered];
        for (const c of commands) {
          try {
            events.push(...hostDecider.decide(c, fold(hostDecider, events)));
          } catch (error) {
            expect((error as { code?: string }).code).toBe('HostFull');
          }
          const state = fold(hostDecider, events);
          if (state.status !== 'registered') throw new Error('host vanished');
          const used = usedResources(state.claims);
          const max = schedulableCapacity(state.capacity, state.ratios);
          expect(used.vcpus).toBeLessThanOrEqual(max.vcpus);
          expect(used.ramMiB).toBeLessThanOrEqual(max.ramMiB);
          expect(used.diskGiB).toBeLessThanOrEqual(max.diskGiB);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Scheduler', () => {
  const host = (hostId: string, ramMiB: number, extra: Partial<{ zone: string; enabled: boolean; vcpus: number; diskGiB: number }> = {}) => ({
    hostId,
    name: hostId,
    zone: extra.zone ?? 'az1',
    enabled: extra.enabled ?? true,
    free: { vcpus: extra.vcpus ?? 16, ramMiB, diskGiB: extra.diskGiB ?? 100 },
  });
  const request = { resources: { vcpus: 2, ramMiB: 1024, diskGiB: 10 }, zone: null, imageMinDiskGiB: 0, excludeHostIds: [] as string[] };

  it('spreads by default and packs on request', () => {
    const hosts = [host('a', 2048), host('b', 8192), host('c', 4096)];
    expect(rankHosts(hosts, request).map((h) => h.hostId)).toEqual(['b', 'c', 'a']);
    expect(rankHosts(hosts, request, 'pack').map((h) => h.hostId)).toEqual(['a', 'c', 'b']);
  });

  it('filters disabled, wrong zone, too small, too little disk for the image, and already tried hosts', () => {
    const hosts = [
      host('disabled', 8192, { enabled: false }),
      host('elsewhere', 8192, { zone: 'az2' }),
      host('small', 512),
      host('tinydisk', 8192, { diskGiB: 15 }),
      host('tried', 8192),
      host('ok', 4096),
    ];
    expect(rankHosts(hosts, { ...request, zone: 'az1', imageMinDiskGiB: 20, excludeHostIds: ['tried'] }).map((h) => h.hostId)).toEqual(['ok']);
  });
});
