import { HOUR_MS, isoToMillis, millisToIso } from '../shared/iso-time';

/**
 * Metering, as a pure fold over the lifecycle events of what costs money:
 * - an instance's running time, per flavor: its clock runs from InstanceActivated or
 *   InstanceStarted to InstanceStopped, InstanceFailed, InstanceLost, InstanceCleanupFailed or InstanceDeleted;
 * - a data volume's size over time (GiB x time) from VolumeCreated to VolumeDeleted (a root volume
 *   is the flavor's disk, in the instance's price);
 * - a volume snapshot's size over time (GiB x time), from VolumeSnapshotCreated to
 *   VolumeSnapshotDeleted (a snapshot that failed costs nothing);
 * - a floating IP's allocated time, from FloatingIpAllocated to FloatingIpReleased.
 * Quantities are integer milliseconds (times GiB for volumes), split at UTC hour boundaries, so
 * totals are exact whatever order resources' events interleave in (each resource's own events
 * come in order: they share a stream).
 */
export type MeterKind = 'instance' | 'volume' | 'snapshot' | 'floating-ip';

/** A resource being metered: its clock runs while `since` is set. */
export type Clock = { meter: MeterKind; projectId: string; rateKey: string; units: number; since: string | null };
export type MeterState = Readonly<Record<string, Clock>>;

/** Usage of one resource within one UTC hour. */
export type UsageRecord = { projectId: string; hour: string; meter: MeterKind; resourceId: string; rateKey: string; quantity: number };

export type MeteredEvent = { type: string; data: unknown };

type Data = Record<string, unknown> & { at: string };

const STARTS: Record<string, MeterKind> = {
  InstanceActivated: 'instance',
  InstanceStarted: 'instance',
  VolumeCreated: 'volume',
  VolumeSnapshotCreated: 'snapshot',
};
const STOPS = new Set([
  'InstanceStopped',
  'InstanceFailed',
  'InstanceLost',
  'InstanceCleanupFailed',
  'InstanceDeleted',
  'VolumeDeleted',
  'VolumeSnapshotDeleted',
  'FloatingIpReleased',
]);
const ENDS = new Set(['InstanceDeleted', 'VolumeDeleted', 'VolumeCreationFailed', 'VolumeSnapshotDeleted', 'VolumeSnapshotFailed', 'FloatingIpReleased']);

/** Event types the meter reads; any other leaves its state and usage alone. */
export const METERED_TYPES: ReadonlySet<string> = new Set([
  'InstanceRequested',
  'InstanceActivated',
  'InstanceStarted',
  'InstanceStopped',
  'InstanceFailed',
  'InstanceLost',
  'InstanceCleanupFailed',
  'InstanceDeleted',
  'VolumeRequested',
  'VolumeCreated',
  'VolumeCreationFailed',
  'VolumeDeleted',
  'VolumeSnapshotRequested',
  'VolumeSnapshotCreated',
  'VolumeSnapshotFailed',
  'VolumeSnapshotDeleted',
  'FloatingIpAllocated',
  'FloatingIpReleased',
]);

/** The resource an event meters (an instance, a volume, a snapshot, a floating IP), if any. */
export const meteredResource = (event: MeteredEvent): string | undefined =>
  METERED_TYPES.has(event.type) ? resourceOf(event.type, event.data as Data) : undefined;

/** Snapshot events are volume events too (they share the volume's stream), but meter the snapshot. */
const resourceOf = (type: string, d: Data): string | undefined =>
  (type.startsWith('Instance')
    ? d.instanceId
    : type.startsWith('VolumeSnapshot')
      ? d.snapshotId
      : type.startsWith('Volume')
        ? d.volumeId
        : type.startsWith('FloatingIp')
          ? d.floatingIpId
          : undefined) as string | undefined;

/** The usage of an interval, split into UTC hours. */
export function splitByHour(clock: Clock, resourceId: string, from: string, to: string): UsageRecord[] {
  const start = isoToMillis(from);
  const end = isoToMillis(to);
  if (start === null || end === null || end <= start) return [];
  const records: UsageRecord[] = [];
  for (let t = start; t < end;) {
    const hourStart = t - (t % HOUR_MS);
    const next = Math.min(end, hourStart + HOUR_MS);
    records.push({
      projectId: clock.projectId,
      hour: millisToIso(hourStart),
      meter: clock.meter,
      resourceId,
      rateKey: clock.rateKey,
      quantity: (next - t) * clock.units,
    });
    t = next;
  }
  return records;
}

/** One event's effect: the state after it and the usage it closes. Events that meter nothing leave both alone. */
export function meterEvent(state: MeterState, event: MeteredEvent): { state: MeterState; usage: UsageRecord[] } {
  const d = event.data as Data;
  const resourceId = resourceOf(event.type, d);
  if (!resourceId) return { state, usage: [] };
  let clock: Clock | undefined = state[resourceId];
  if (event.type === 'InstanceRequested') {
    const flavor = d.flavor as { flavorId: string };
    clock = { meter: 'instance', projectId: String(d.projectId), rateKey: flavor.flavorId, units: 1, since: null };
  } else if (event.type === 'VolumeRequested') {
    if (d.bootFor) return { state, usage: [] };
    clock = { meter: 'volume', projectId: String(d.projectId), rateKey: 'gib', units: Number(d.sizeGiB), since: null };
  } else if (event.type === 'VolumeSnapshotRequested') {
    clock = { meter: 'snapshot', projectId: String(d.projectId), rateKey: 'gib', units: Number(d.sizeGiB), since: null };
  } else if (event.type === 'FloatingIpAllocated') {
    clock = { meter: 'floating-ip', projectId: String(d.projectId), rateKey: 'ip', units: 1, since: d.at };
  }
  if (!clock) return { state, usage: [] };
  let usage: UsageRecord[] = [];
  if (STARTS[event.type] === clock.meter && clock.since === null) clock = { ...clock, since: d.at };
  if (STOPS.has(event.type) && clock.since !== null) {
    usage = splitByHour(clock, resourceId, clock.since, d.at);
    clock = { ...clock, since: null };
  }
  if (ENDS.has(event.type)) {
    const { [resourceId]: _ended, ...rest } = state;
    return { state: rest, usage };
  }
  return { state: clock === state[resourceId] ? state : { ...state, [resourceId]: clock }, usage };
}

/** Usage records summed by (project, hour, meter, resource). */
export function totals(records: readonly UsageRecord[]): Map<string, UsageRecord> {
  const sums = new Map<string, UsageRecord>();
  for (const r of records) {
    const key = usageKey(r);
    const known = sums.get(key);
    sums.set(key, known ? { ...known, quantity: known.quantity + r.quantity } : r);
  }
  return sums;
}

export const usageKey = (r: Pick<UsageRecord, 'projectId' | 'hour' | 'meter' | 'resourceId'>) => `${r.projectId}|${r.hour}|${r.meter}|${r.resourceId}`;
