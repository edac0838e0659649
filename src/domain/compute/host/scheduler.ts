import { Resources, fits } from './host.decider';

/** What the scheduler knows of a host (a read-model view, possibly a little stale). */
export type HostCandidate = { hostId: string; name: string; zone: string; enabled: boolean; free: Resources };

export type ScheduleRequest = { resources: Resources; zone: string | null; imageMinDiskGiB: number; excludeHostIds: readonly string[] };

export type Weigher = 'spread' | 'pack';

/**
 * Nova's filter scheduler in miniature: filters (enabled, zone, capacity, image minimum disk,
 * hosts already tried), then weighers (spread: most free RAM first; pack: least free RAM first).
 * The ranking is advisory; the claim on the Host aggregate is what guarantees capacity.
 */
export function rankHosts(hosts: readonly HostCandidate[], request: ScheduleRequest, weigher: Weigher = 'spread'): HostCandidate[] {
  const wanted: Resources = { ...request.resources, diskGiB: Math.max(request.resources.diskGiB, request.imageMinDiskGiB) };
  const passing = hosts.filter(
    (h) => h.enabled && (request.zone === null || h.zone === request.zone) && !request.excludeHostIds.includes(h.hostId) && fits(wanted, h.free),
  );
  const sign = weigher === 'spread' ? -1 : 1;
  return [...passing].sort((a, b) => sign * (a.free.ramMiB - b.free.ramMiB) || sign * (a.free.vcpus - b.free.vcpus) || a.hostId.localeCompare(b.hostId));
}
