/**
 * npm run bench:replay: rebuilds every projection from position 0 over a log of at least
 * BENCH_REPLAY_EVENTS (1,000,000) events, into fresh tables, as `npm run replay` does, and checks
 * that the result equals the live read models; beside it the floor: a raw sequential read of the
 * same rows (plain SQL, same page size, same driver). Prints events/s of both and their ratio, and
 * for the record the raw read of only the columns the replay reads (see EventStore.readCores), and
 * the fair floor: a raw read of the same columns and only the event types the projections fold.
 *
 * The log is real: a workload runs once through the HTTP API (a project, a user, a keypair, a
 * network, a security group, 5 instances launched, stopped, started, rebooted and 2 deleted, a
 * volume attached, detached and snapshotted, a floating IP associated and released), then its
 * events are appended again and again through the event store, every resource id replaced by a
 * fresh one per copy, until the log is long enough. Knobs: BENCH_REPLAY_EVENTS, ORCH_REPLAY_THREADS,
 * BENCH_STORES (embedded,postgres). Prints figures, checks nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { EVENT_STORE, EventStore, EventTypes, NewEvent, RecordedEvent } from '../../src/application/ports/event-store.port';
import { createHttpApp } from '../../src/http-app';
import { Config, loadConfig } from '../../src/infrastructure/config/config';
import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { EVENT_COLUMNS } from '../../src/infrastructure/event-store/sql/event-rows';
import { typesCondition } from '../../src/infrastructure/event-store/sql/sql-dialect';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { Database } from '../../src/infrastructure/persistence/database';
import { openDatabase } from '../../src/infrastructure/persistence/open-database';
import { openScratchDatabase } from '../../src/infrastructure/persistence/scratch-database';
import { rebuildAndCompare } from '../../src/infrastructure/projections/projection-rebuild';
import { ProjectionRunner } from '../../src/infrastructure/projections/projection-runner';
import { PROJECTIONS } from '../../src/infrastructure/read-models/projections';
import { createTestDatabase, postgresReachable } from '../support/postgres';
import { ed25519Key } from '../support/ssh-keys';

const TARGET = Number(process.env.BENCH_REPLAY_EVENTS ?? 1_000_000);
const STORES = (process.env.BENCH_STORES ?? 'embedded,postgres').split(',');
const PAGE = Number(process.env.BENCH_PAGE ?? 2_000);
const THREADS = loadConfig({ ORCH_REPLAY_THREADS: process.env.ORCH_REPLAY_THREADS }).replayThreads;
const LOADERS = 128;
const PASSWORD = 'bench-password-123';
/** A resource id (`ins-<20 hex>`) or a name made like one (`bench-<20 hex>`). */
const RESOURCE_ID = /\b[a-z]{1,5}-[0-9a-f]{20}\b/g;
const quiet = new JsonLogger('error', () => undefined);

type Figures = {
  store: string;
  events: number;
  threads: number;
  loadSeconds: number;
  liveCatchUpPerSecond: number;
  replayPerSecond: number;
  rawPerSecond: number;
  rawCoresPerSecond: number;
  rawFoldedPerSecond: number;
  compareSeconds: number;
  equal: boolean;
};

const hex = () => randomBytes(10).toString('hex');

/** The template workload, through the real API; returns the log positions that bracket it. */
async function recordTemplate(config: Config): Promise<{ setupEnd: number; templateEnd: number }> {
  const app = await createHttpApp(config, quiet);
  await app.listen(0, '127.0.0.1');
  const http = request(app.getHttpServer());
  const store = app.get<EventStore>(EVENT_STORE);
  const as = (token: string) => ({
    post: async (p: string, body: object = {}) => {
      const response = await http
        .post(p)
        .set({ Authorization: `Bearer ${token}` })
        .send(body);
      if (response.status >= 300) throw new Error(`POST ${p}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    del: async (p: string) => (await http.delete(p).set({ Authorization: `Bearer ${token}` })).body,
    settle: async (operationId: string) => {
      for (;;) {
        const op = (await http.get(`/v1/operations/${operationId}`).set({ Authorization: `Bearer ${token}` })).body;
        if (op.status !== 'running') {
          if (op.status !== 'succeeded') throw new Error(`operation ${operationId} ended ${op.status}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  });
  try {
    const login = async (username: string, password: string, project: string) =>
      (await http.post('/v1/auth/tokens').send({ username, password, project })).body.token as string;
    const admin = as(await login('admin', PASSWORD, 'admin'));
    await admin.post('/v1/flavors', { name: 'small', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await admin.post('/v1/images', { name: 'img', os: 'linux', minDiskGiB: 0, source: 'bench' });
    for (let h = 0; h < 4; h++) await admin.post('/v1/hosts', { name: `h${h}`, driver: 'simulated', vcpus: 64, ramMiB: 262144, diskGiB: 4000 });
    const setupEnd = await store.headPosition();

    const projectName = `bench-${hex()}`;
    const project = await admin.post('/v1/projects', { name: projectName, quotas: { instances: 20, vcpus: 20, ramMiB: 65536 } });
    const userName = `bench-${hex()}`;
    await admin.post('/v1/users', { name: userName, password: PASSWORD, projectId: project.id, role: 'member' });
    const user = as(await login(userName, PASSWORD, projectName));
    await user.post('/v1/keypairs', { name: 'k', publicKey: ed25519Key(7) });
    await user.post('/v1/networks', { name: 'net', cidr: '10.90.0.0/24' });
    await user.post('/v1/security-groups', { name: 'web', rules: [{ direction: 'ingress', protocol: 'tcp', portMin: 22, portMax: 22, cidr: '0.0.0.0/0' }] });
    const launch = await user.post('/v1/instances', { name: 'vm', flavor: 'small', image: 'img', networks: [{ network: 'net' }], keyName: 'k', minCount: 5 });
    await user.settle(launch.operation.id);
    const [a, b, c, d] = launch.instances as Array<{ id: string }>;
    await user.settle((await user.post(`/v1/instances/${a.id}/actions`, { action: 'stop' })).operation.id);
    await user.settle((await user.post(`/v1/instances/${a.id}/actions`, { action: 'start' })).operation.id);
    await user.settle((await user.post(`/v1/instances/${b.id}/actions`, { action: 'reboot' })).operation.id);
    await user.settle((await user.del(`/v1/instances/${c.id}`)).operation.id);
    await user.settle((await user.del(`/v1/instances/${d.id}`)).operation.id);
    const volume = await user.post('/v1/volumes', { name: 'data', sizeGiB: 2 });
    await user.settle(volume.operation.id);
    await user.settle((await user.post(`/v1/volumes/${volume.volume.id}/attach`, { instanceId: a.id })).operation.id);
    await user.settle((await user.post(`/v1/volumes/${volume.volume.id}/detach`)).operation.id);
    await user.settle((await user.post(`/v1/volumes/${volume.volume.id}/snapshots`, { name: 'snap' })).operation.id);
    const fip = await user.post('/v1/floating-ips');
    await user.post(`/v1/floating-ips/${fip.id}/associate`, { instanceId: b.id });
    await user.post(`/v1/floating-ips/${fip.id}/disassociate`);
    await user.del(`/v1/floating-ips/${fip.id}`);
    // Let the reconciler and the workers finish whatever the last steps started.
    await new Promise((r) => setTimeout(r, 1_500));
    return { setupEnd, templateEnd: await store.headPosition() };
  } finally {
    await app.close();
  }
}

async function readRange(store: EventStore, after: number, until: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let position = after; position < until;) {
    const page = (await store.readAll(position, PAGE)).filter((e) => e.position <= until);
    if (page.length === 0) break;
    events.push(...page);
    position = page[page.length - 1].position;
  }
  return events;
}

/** One copy of the template: every id not known at setup replaced by a fresh one, appended in log order, a run of one stream per append. */
async function appendCopy(store: EventStore, template: readonly RecordedEvent[], shared: ReadonlySet<string>): Promise<number> {
  const fresh = new Map<string, string>();
  const remap = (text: string) =>
    text.replace(RESOURCE_ID, (id) => {
      if (shared.has(id)) return id;
      let replaced = fresh.get(id);
      if (!replaced) fresh.set(id, (replaced = `${id.slice(0, id.indexOf('-'))}-${hex()}`));
      return replaced;
    });
  for (let i = 0; i < template.length;) {
    const stream = template[i].stream;
    const run: NewEvent[] = [];
    for (; i < template.length && template[i].stream === stream; i++) {
      const e = template[i];
      run.push({
        id: randomUUID(),
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: JSON.parse(remap(JSON.stringify(e.data))),
        metadata: JSON.parse(remap(JSON.stringify(e.metadata))),
      });
    }
    await store.append(remap(stream), run, 'any');
  }
  return template.length;
}

/** The columns the replay reads (EventStore.readCores): position, type, schema version, data and the time (kept from the metadata in a column of its own). */
const CORE_COLUMNS = 'position, type, schema_version, data, at';

/** The types some projection folds: what the replay's threads read, all together. */
const FOLDED: EventTypes = {
  types: [...new Set(PROJECTIONS.flatMap((p) => p.reads.types))],
  prefixes: [...new Set(PROJECTIONS.flatMap((p) => p.reads.prefixes))],
};

/**
 * Events/s of a plain keyset read of the whole log in pages of `page` (of `types` only, if given:
 * then the rate counts the log's events, as the replay's does, not only the rows read).
 */
async function rawSequentialRead(db: Database, head: number, page: number, columns = EVENT_COLUMNS, types?: EventTypes): Promise<number> {
  const selected = types ? typesCondition(types, 1, (n) => db.param(n)) : null;
  const sql = `SELECT ${columns} FROM events WHERE position > ${db.param(1)}${selected ? ` AND ${selected.condition}` : ''} ORDER BY position LIMIT ${page}`;
  const started = process.hrtime.bigint();
  let rows = 0;
  for (let position = 0; position < head;) {
    const page = await db.query<{ position: number }>(sql, [position, ...(selected?.params ?? [])]);
    if (page.length === 0) break;
    rows += page.length;
    position = Number(page[page.length - 1].position);
  }
  return (types ? head : rows) / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function run(store: 'embedded' | 'postgres'): Promise<Figures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-replay-'));
  const database = store === 'postgres' ? await createTestDatabase('orch_bench_replay') : null;
  const config = loadConfig({
    ORCH_STORE: store,
    ORCH_DATA_DIR: dataDir,
    ORCH_DATABASE_URL: database?.url,
    ORCH_BOOTSTRAP_PASSWORD: PASSWORD,
    ORCH_DEMO: 'off',
    ORCH_LOG_LEVEL: 'error',
    ORCH_POLL_INTERVAL_MS: '20',
    ORCH_PG_POOL_SIZE: '20',
  });
  try {
    const { setupEnd, templateEnd } = await recordTemplate(config);
    const db = await openDatabase(config);
    const events = createEventStore(db);
    try {
      const shared = new Set((await readRange(events, 0, setupEnd)).flatMap((e) => JSON.stringify(e).match(RESOURCE_ID) ?? []));
      const template = await readRange(events, setupEnd, templateEnd);
      const copies = Math.ceil((TARGET - templateEnd) / template.length);
      process.stdout.write(
        `${store}: template of ${template.length} events (${new Set(template.map((e) => e.type)).size} types), appending ${copies} copies\n`,
      );

      const loading = process.hrtime.bigint();
      let next = 0;
      await Promise.all(
        Array.from({ length: LOADERS }, async () => {
          while (next < copies) {
            next++;
            await appendCopy(events, template, shared);
          }
        }),
      );
      const loadSeconds = Number(process.hrtime.bigint() - loading) / 1e9;
      const head = await events.headPosition();
      process.stdout.write(`${store}: ${head} events in the log (loaded in ${loadSeconds.toFixed(1)} s)\n`);

      // A catch-up reads only the types its projections fold: its rate is of the events in the log.
      const logged = Number((await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM events'))[0].n);
      const catchingUp = process.hrtime.bigint();
      await new ProjectionRunner(db, events, PROJECTIONS, quiet, PAGE).catchUp();
      const liveCatchUpPerSecond = logged / (Number(process.hrtime.bigint() - catchingUp) / 1e9);

      const scratch = await openScratchDatabase(config, db);
      try {
        const report = await rebuildAndCompare(db, events, scratch.db, PROJECTIONS, quiet, { batchSize: PAGE, threads: THREADS });
        // The floor is the fastest of a few page sizes, the replay's own among them.
        let rawPerSecond = 0;
        for (const page of new Set([PAGE, 2_000, 10_000])) rawPerSecond = Math.max(rawPerSecond, await rawSequentialRead(db, head, page));
        // Beside it, for the record, the same read of only the columns the replay reads.
        const rawCoresPerSecond = await rawSequentialRead(db, head, PAGE, CORE_COLUMNS);
        // The fair floor: the same columns and the same event types, one thread.
        const rawFoldedPerSecond = await rawSequentialRead(db, head, PAGE, CORE_COLUMNS, FOLDED);
        return {
          store,
          events: report.events,
          threads: report.threads,
          loadSeconds,
          liveCatchUpPerSecond,
          replayPerSecond: report.eventsPerSecond,
          rawPerSecond,
          rawCoresPerSecond,
          rawFoldedPerSecond,
          compareSeconds: report.compareSeconds,
          equal: report.equal,
        };
      } finally {
        await scratch.discard();
      }
    } finally {
      await events.close();
      await db.close();
    }
  } finally {
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results: Figures[] = [];
  for (const store of STORES) {
    if (store === 'postgres' && !(await postgresReachable())) {
      process.stdout.write('postgres: not reachable, skipped\n');
      continue;
    }
    results.push(await run(store as 'embedded' | 'postgres'));
  }
  process.stdout.write(
    '\nstore      events  threads  replay ev/s  raw read ev/s  ratio  raw core-columns ev/s  raw same columns+types ev/s  ratio  live catch-up ev/s  compare s  equal\n',
  );
  for (const r of results) {
    process.stdout.write(
      `${r.store.padEnd(9)} ${String(r.events).padStart(8)} ${String(r.threads).padStart(8)} ${Math.round(r.replayPerSecond).toLocaleString('en').padStart(12)} ${Math.round(r.rawPerSecond).toLocaleString('en').padStart(14)} ${(r.replayPerSecond / r.rawPerSecond).toFixed(2).padStart(6)} ${Math.round(r.rawCoresPerSecond).toLocaleString('en').padStart(22)} ${Math.round(r.rawFoldedPerSecond).toLocaleString('en').padStart(28)} ${(r.replayPerSecond / r.rawFoldedPerSecond).toFixed(2).padStart(6)} ${Math.round(r.liveCatchUpPerSecond).toLocaleString('en').padStart(19)} ${r.compareSeconds.toFixed(1).padStart(10)}  ${r.equal}\n`,
    );
  }
  for (const r of results)
    process.stdout.write(
      `${r.store}: events=${r.events} threads=${r.threads} replay_events_per_s=${Math.round(r.replayPerSecond)} ratio_to_raw=${(r.replayPerSecond / r.rawPerSecond).toFixed(2)} ratio_to_raw_core_columns=${(r.replayPerSecond / r.rawCoresPerSecond).toFixed(2)} ratio_to_raw_same_columns_and_types=${(r.replayPerSecond / r.rawFoldedPerSecond).toFixed(2)}\n`,
    );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:replay failed: ${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
