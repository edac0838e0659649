import fc from 'fast-check';
import { MeterState, MeteredEvent, UsageRecord, meterEvent, totals } from './meter';

const run = (events: MeteredEvent[]) => {
  let state: MeterState = {};
  const usage: UsageRecord[] = [];
  for (const e of events) {
    const r = meterEvent(state, e);
    state = r.state;
    usage.push(...r.usage);
  }
  return { state, usage };
};
const requested = (instanceId: string, at: string): MeteredEvent => ({
  type: 'InstanceRequested',
  data: { instanceId, projectId: 'prj-1', flavor: { flavorId: 'flv-small', vcpus: 1, ramMiB: 256, diskGiB: 1 }, at },
});
const ev = (type: string, data: Record<string, unknown>): MeteredEvent => ({ type, data });

describe('Billing meter', () => {
  it('meters an instance from active to stopped, split at hour boundaries, and again from start to delete', () => {
    const { usage, state } = run([
      requested('i1', '2026-01-01T09:50:00.000Z'),
      ev('InstanceActivated', { instanceId: 'i1', at: '2026-01-01T10:30:00.000Z' }),
      ev('InstanceStopped', { instanceId: 'i1', at: '2026-01-01T12:15:00.000Z' }),
      ev('InstanceStarted', { instanceId: 'i1', at: '2026-01-01T13:00:00.000Z' }),
      ev('InstanceDeleted', { instanceId: 'i1', at: '2026-01-01T13:00:01.500Z' }),
    ]);
    expect(usage.map((u) => [u.hour.slice(11, 13), u.meter, u.rateKey, u.quantity])).toEqual([
      ['10', 'instance', 'flv-small', 30 * 60_000],
      ['11', 'instance', 'flv-small', 60 * 60_000],
      ['12', 'instance', 'flv-small', 15 * 60_000],
      ['13', 'instance', 'flv-small', 1_500],
    ]);
    expect(state).toEqual({});
  });

  it('stops the clock on error, and never starts it for an instance that never ran', () => {
    const { usage } = run([
      requested('i1', '2026-01-01T10:00:00.000Z'),
      ev('InstanceFailed', { instanceId: 'i1', reason: 'x', at: '2026-01-01T10:01:00.000Z' }),
      requested('i2', '2026-01-01T10:00:00.000Z'),
      ev('InstanceActivated', { instanceId: 'i2', at: '2026-01-01T10:00:00.000Z' }),
      ev('InstanceLost', { instanceId: 'i2', hostId: 'h', reason: 'gone', at: '2026-01-01T10:00:10.000Z' }),
      ev('InstanceDeleted', { instanceId: 'i2', at: '2026-01-01T11:00:00.000Z' }),
    ]);
    expect(usage.map((u) => [u.resourceId, u.quantity])).toEqual([['i2', 10_000]]);
  });

  it('meters data volumes in GiB x time, not root volumes, and floating IPs while allocated', () => {
    const { usage } = run([
      ev('VolumeRequested', { volumeId: 'v1', projectId: 'prj-1', sizeGiB: 10, bootFor: null, at: '2026-01-01T10:00:00.000Z' }),
      ev('VolumeCreated', { volumeId: 'v1', at: '2026-01-01T10:00:00.000Z' }),
      ev('VolumeRequested', { volumeId: 'root', projectId: 'prj-1', sizeGiB: 1, bootFor: 'i1', at: '2026-01-01T10:00:00.000Z' }),
      ev('VolumeCreated', { volumeId: 'root', at: '2026-01-01T10:00:00.000Z' }),
      ev('VolumeDeleted', { volumeId: 'v1', projectId: 'prj-1', sizeGiB: 10, at: '2026-01-01T10:00:01.000Z' }),
      ev('FloatingIpAllocated', { floatingIpId: 'f1', projectId: 'prj-1', address: '198.51.100.2', at: '2026-01-01T10:00:00.000Z' }),
      ev('FloatingIpReleased', { floatingIpId: 'f1', projectId: 'prj-1', address: '198.51.100.2', at: '2026-01-01T10:00:02.000Z' }),
    ]);
    expect(usage.map((u) => [u.meter, u.resourceId, u.quantity])).toEqual([
      ['volume', 'v1', 10_000],
      ['floating-ip', 'f1', 2_000],
    ]);
  });

  it('meters a snapshot in GiB x time from created to deleted, apart from its volume, and a failed one not at all', () => {
    const snap = (type: string, snapshotId: string, at: string, extra: Record<string, unknown> = {}) => ev(type, { volumeId: 'v1', snapshotId, at, ...extra });
    const { usage, state } = run([
      ev('VolumeRequested', { volumeId: 'v1', projectId: 'prj-1', sizeGiB: 10, bootFor: null, at: '2026-01-01T10:00:00.000Z' }),
      ev('VolumeCreated', { volumeId: 'v1', at: '2026-01-01T10:00:00.000Z' }),
      snap('VolumeSnapshotRequested', 's1', '2026-01-01T10:00:00.000Z', { projectId: 'prj-1', name: 'a', sizeGiB: 10 }),
      snap('VolumeSnapshotCreated', 's1', '2026-01-01T10:00:04.000Z'),
      snap('VolumeSnapshotRequested', 's2', '2026-01-01T10:00:05.000Z', { projectId: 'prj-1', name: 'b', sizeGiB: 10 }),
      snap('VolumeSnapshotFailed', 's2', '2026-01-01T10:00:06.000Z', { reason: 'disk full' }),
      snap('VolumeSnapshotDeleteRequested', 's1', '2026-01-01T10:59:59.000Z'),
      snap('VolumeSnapshotDeleted', 's1', '2026-01-01T11:00:02.000Z'),
      ev('VolumeDeleted', { volumeId: 'v1', projectId: 'prj-1', sizeGiB: 10, at: '2026-01-01T11:00:03.000Z' }),
    ]);
    expect(usage.map((u) => [u.meter, u.resourceId, u.hour.slice(11, 13), u.rateKey, u.quantity])).toEqual([
      ['snapshot', 's1', '10', 'gib', 10 * (3_600_000 - 4_000)],
      ['snapshot', 's1', '11', 'gib', 10 * 2_000],
      ['volume', 'v1', '10', 'gib', 10 * 3_600_000],
      ['volume', 'v1', '11', 'gib', 10 * 3_000],
    ]);
    expect(state).toEqual({});
  });

  it('totals the same whatever way the resources interleave, and equal to the time each clock ran (property)', () => {
    const lifecycle = (id: string, base: number, spans: number[]) => {
      const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
      let t = base;
      const events: MeteredEvent[] = [requested(id, at(t))];
      let running = 0;
      spans.forEach((span, i) => {
        events.push(ev(i % 2 === 0 ? (i === 0 ? 'InstanceActivated' : 'InstanceStarted') : 'InstanceStopped', { instanceId: id, at: at(t) }));
        if (i % 2 === 0) running += span;
        t += span;
      });
      if (spans.length % 2 === 1) events.push(ev('InstanceDeleted', { instanceId: id, at: at(t) }));
      return { events, running: spans.length % 2 === 1 ? running : spans.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0) };
    };
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 3 * 3_600_000 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (spansPerInstance, seed) => {
          const lives = spansPerInstance.map((spans, i) => lifecycle(`i${i}`, i * 1_234_567, spans));
          const inOrder = lives.flatMap((l) => l.events);
          // Interleave resources in a seeded order, each resource's events staying in order.
          const queues = lives.map((l) => [...l.events]);
          const mixed: MeteredEvent[] = [];
          let r = seed;
          while (queues.some((q) => q.length > 0)) {
            const open = queues.filter((q) => q.length > 0);
            r = (r * 1103515245 + 12345) % 2 ** 31;
            mixed.push(open[r % open.length].shift() as MeteredEvent);
          }
          const a = totals(run(inOrder).usage);
          const b = totals(run(mixed).usage);
          expect(new Map([...a].sort())).toEqual(new Map([...b].sort()));
          lives.forEach((l, i) => {
            const sum = [...a.values()].filter((u) => u.resourceId === `i${i}`).reduce((s, u) => s + u.quantity, 0);
            expect(sum).toBe(l.running);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
