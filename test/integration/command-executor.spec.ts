import { NO_TRACING, Tracing } from '../../src/application/ports/tracing.port';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommandExecutor, MAX_COMMAND_ATTEMPTS } from '../../src/application/shared/command-executor';
import { EventStore, WrongExpectedVersion } from '../../src/application/ports/event-store.port';
import { Metrics } from '../../src/application/ports/metrics.port';
import { CommandContext, systemContext } from '../../src/application/shared/command-context';
import { projectDecider, projectStream } from '../../src/domain/identity/project/project.decider';
import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { Database } from '../../src/infrastructure/persistence/database';
import { runMigrations } from '../../src/infrastructure/persistence/migrations';
import { randomIds } from '../../src/infrastructure/system/random-ids';
import { systemClock } from '../../src/infrastructure/system/system-clock';
import { createTestDatabase } from '../support/postgres';
import { describeWithPostgres } from '../support/services';

const countingMetrics = () => {
  const counts = { appended: 0, conflicts: 0 };
  const metrics: Metrics = {
    eventsAppended: (types) => (counts.appended += types.length),
    projectionLag: () => undefined,
    commandConflict: () => counts.conflicts++,
    httpRequest: () => undefined,
    workLoop: () => undefined,
    workFailed: () => undefined,
    workGaveUp: () => undefined,
    render: async () => ({ contentType: 'text/plain', body: '' }),
  };
  return { counts, metrics };
};
const noWait = { waitFor: async () => true };
const ctx = systemContext('test');

/**
 * The store, except that the first `readers` reads of `stream` wait for one another: that many
 * processes then load the same version and must collide on append, whatever the timing.
 */
function withReadBarrier(store: EventStore, stream: string, readers: number): EventStore {
  let arrived = 0;
  let release: () => void = () => undefined;
  const allArrived = new Promise<void>((resolve) => (release = resolve));
  const readStream: EventStore['readStream'] = async (name, fromVersion) => {
    const events = await store.readStream(name, fromVersion);
    if (name === stream && arrived < readers) {
      if (++arrived === readers) release();
      await allArrived;
    }
    return events;
  };
  return Object.assign(Object.create(store) as EventStore, { readStream });
}

/** `processes` executors, each with its own in-process locks, as separate app processes would have. */
async function raceReservations(store: EventStore, processes = 1) {
  const { counts, metrics } = countingMetrics();
  const stream = projectStream('prj-race');
  const executor = new CommandExecutor(store, randomIds, systemClock, metrics, noWait, NO_TRACING);
  const shared = processes > 1 ? withReadBarrier(store, stream, processes) : store;
  const racing = Array.from({ length: processes }, () => new CommandExecutor(shared, randomIds, systemClock, metrics, noWait, NO_TRACING));
  await executor.execute(
    projectDecider,
    stream,
    { type: 'CreateProject', projectId: 'prj-race', name: 'race', quotas: { instances: 10 }, now: executor.now() },
    ctx,
  );
  const outcomes = await Promise.allSettled(
    Array.from({ length: 40 }, (_, i) =>
      racing[i % processes].execute(
        projectDecider,
        stream,
        { type: 'ReserveQuota', reservationId: `r${i}`, amounts: { instances: 1 }, now: executor.now() },
        ctx,
      ),
    ),
  );
  const codes = outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as { code: string }).code));
  return { codes, counts, events: await store.readStream(stream) };
}

/** Quotas cannot be raced: concurrent reservations serialise on the project's stream version. */
function quotaRaceSuite(open: () => Promise<{ store: EventStore; close(): Promise<void> }>) {
  it('grants exactly the quota to 40 concurrent reservations against a limit of 10', async () => {
    const { store, close } = await open();
    try {
      const { codes, events } = await raceReservations(store);
      expect(codes.filter((c) => c === 'ok')).toHaveLength(10);
      expect(codes.filter((c) => c !== 'ok').every((c) => c === 'QuotaExceeded' || c === 'ConcurrentModification')).toBe(true);
      expect(events.filter((e) => e.type === 'QuotaReserved')).toHaveLength(10);
    } finally {
      await close();
    }
  });

  it("traces a request's command as a span and a provisioning step's as an event of the step's span; events carry the traceparent; none with tracing off", async () => {
    const { store, close } = await open();
    try {
      const requestTrace = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const commandTrace = '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01';
      const stepTrace = '00-4bf92f3577b34da6a3ce929d0e0e4736-53995c3f42cd8ad8-01';
      const spans: Array<{ name: string; parent: string | undefined }> = [];
      const stepEvents: string[] = [];
      const span = (traceparent: string, events: string[] = []) => ({ traceparent, set: () => undefined, event: (name: string) => void events.push(name) });
      const bound: Record<string, ReturnType<typeof span>> = { 'req-traced': span(requestTrace), 'inst-step': span(stepTrace, stepEvents) };
      const traced: Tracing = {
        ...NO_TRACING,
        enabled: true,
        spanOf: (key) => (key ? bound[key] : undefined),
        span: (name, options, fn) => {
          spans.push({ name, parent: options.parent });
          return fn(span(commandTrace));
        },
      };
      const { metrics } = countingMetrics();
      const create = (executor: CommandExecutor, id: string, context: CommandContext) =>
        executor.execute(projectDecider, projectStream(id), { type: 'CreateProject', projectId: id, name: id, quotas: {}, now: executor.now() }, context);
      const tracedExecutor = new CommandExecutor(store, randomIds, systemClock, metrics, noWait, traced);
      await create(tracedExecutor, 'prj-request', { ...ctx, requestId: 'req-traced' });
      await create(tracedExecutor, 'prj-step', { ...ctx, requestId: null, causationId: 'inst-step' });
      await create(new CommandExecutor(store, randomIds, systemClock, metrics, noWait, NO_TRACING), 'prj-untraced', ctx);
      expect(spans).toEqual([
        { name: 'command project', parent: requestTrace },
        { name: 'append', parent: commandTrace },
      ]);
      expect(stepEvents).toEqual(['command project-prj-step: 1 events appended']);
      const traceparents = async (id: string) => (await store.readStream(projectStream(id))).map((e) => e.metadata.traceparent);
      expect(await traceparents('prj-request')).toEqual([commandTrace]);
      expect(await traceparents('prj-step')).toEqual([stepTrace]);
      expect(await traceparents('prj-untraced')).toEqual([undefined]);
    } finally {
      await close();
    }
  });

  it('never overshoots when several processes race (optimistic concurrency across processes)', async () => {
    const { store, close } = await open();
    try {
      const { codes, counts, events } = await raceReservations(store, 4);
      const granted = codes.filter((c) => c === 'ok').length;
      expect(granted).toBeLessThanOrEqual(10);
      expect(events.filter((e) => e.type === 'QuotaReserved')).toHaveLength(granted);
      expect(codes.filter((c) => c !== 'ok').every((c) => c === 'QuotaExceeded' || c === 'ConcurrentModification')).toBe(true);
      expect(counts.conflicts).toBeGreaterThan(0); // the processes did collide, and the store refused the losers
    } finally {
      await close();
    }
  });
}

describe('CommandExecutor on the embedded store', () => {
  quotaRaceSuite(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-exec-'));
    const db = await Database.openSqlite(dir);
    await runMigrations(db);
    const store = createEventStore(db, { pollIntervalMs: 20 });
    return { store, close: async () => (await store.close(), await db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
  });

  it(`retries a conflicting append ${MAX_COMMAND_ATTEMPTS} times, then reports ConcurrentModification`, async () => {
    // A store whose stream always moves on between read and append (as under a hot writer).
    const alwaysConflicting: EventStore = {
      readStream: async () => [],
      append: async (stream: string) => {
        throw new WrongExpectedVersion(stream, 'no_stream', 1);
      },
    } as unknown as EventStore;
    const { counts, metrics } = countingMetrics();
    const executor = new CommandExecutor(alwaysConflicting, randomIds, systemClock, metrics, noWait, NO_TRACING);
    await expect(
      executor.execute(projectDecider, 'project-x', { type: 'CreateProject', projectId: 'x', name: 'x', quotas: {}, now: executor.now() }, ctx),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'ConcurrentModification' });
    expect(counts.conflicts).toBe(MAX_COMMAND_ATTEMPTS);
  });
});

describeWithPostgres('CommandExecutor on PostgreSQL', () => {
  quotaRaceSuite(async () => {
    const database = await createTestDatabase();
    const db = await Database.openPostgres(database.url, 10);
    await runMigrations(db);
    const store = createEventStore(db, { pollIntervalMs: 20 });
    return { store, close: async () => (await store.close(), await db.close(), await database.drop()) };
  });
});
