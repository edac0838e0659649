/**
 * npm run bench:relay: how long an event takes from its commit to a Kafka consumer, through the
 * outbox relay (the log itself, relayed from its checkpoint), with the orchestrator running as in
 * production (KAFKA_BROKERS set, the production poll interval), the relay in-process and then as a
 * process of its own (`npm run relay`, ORCH_RELAY=off in the orchestrator), each measured alike.
 *   lag:   BENCH_RELAY_RATE (2,000) events/s appended for BENCH_RELAY_SECONDS (60), in appends of
 *          two events to random streams; for each event, the time from its append's commit to its
 *          arrival at a plain kafkajs consumer: p50/p90/p99/max, and any event lost or duplicated.
 *   drain: BENCH_RELAY_BACKLOG (60,000) events committed while the relay is stopped, then the
 *          relay started: events/s until the consumer has them all.
 *   floor: the raw kafkajs producer rate: the same messages (size, keys, headers, batches of the
 *          relay's size, acks=all, idempotent) sent straight to the broker, as fast as it takes them.
 * Knobs: BENCH_STORES (postgres), KAFKA_BROKERS (127.0.0.1:9092). Prints figures, checks nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { EventRelay } from '../../src/application/integration/event-relay';
import { toBusMessage } from '../../src/application/integration/integration-events';
import { topicOf } from '../../src/application/shared/integration-message';
import { EventStore, NewEvent, RecordedEvent } from '../../src/application/ports/event-store.port';
import { RunningApp, createBacking, startApp } from '../support/app';
import { RunningProcess, startProcess } from '../support/processes';

const RATE = Number(process.env.BENCH_RELAY_RATE ?? 2_000);
const SECONDS = Number(process.env.BENCH_RELAY_SECONDS ?? 60);
const BACKLOG = Number(process.env.BENCH_RELAY_BACKLOG ?? 60_000);
const STORES = (process.env.BENCH_STORES ?? 'postgres').split(',') as Array<'embedded' | 'postgres'>;
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const EVENTS_PER_APPEND = 2;
const STREAMS = 1_000;
const RELAY_BATCH = 500; // the relay's batch size (app.module's RELAY_SETTINGS)

const kafka = new Kafka({ clientId: 'bench-relay', brokers: BROKERS, logLevel: logLevel.ERROR });

const benchEvent = (): NewEvent => ({
  id: randomUUID(),
  // A compute event the relay knows (an unknown type would go to the platform topic, which the bench does not read).
  type: 'InstancePowerStateDrifted',
  schemaVersion: 1,
  data: {
    instanceId: `ins-${randomBytes(10).toString('hex')}`,
    expected: 'running',
    observed: 'shutoff',
    at: new Date().toISOString(),
  },
  metadata: {
    principal: 'system:bench',
    projectId: 'prj-bench',
    requestId: null,
    correlationId: randomUUID(),
    causationId: null,
    at: new Date().toISOString(),
  },
});
const streamName = () => `instance-ins-${String(Math.floor(Math.random() * STREAMS)).padStart(20, '0')}`;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Commit times and arrival times by event id; whichever comes second gives the lag. */
class LagMeter {
  private readonly committed = new Map<string, number>();
  private readonly arrived = new Map<string, number>();
  private readonly seen = new Set<string>();
  readonly lags: number[] = [];
  duplicates = 0;
  /** When the latest first delivery arrived, and when the first one after `markFirst()` did. */
  lastArrival = 0;
  firstAfterMark: number | null = null;
  private marked = false;

  markFirst(): void {
    this.marked = true;
    this.firstAfterMark = null;
  }

  commit(id: string, at: number): void {
    const arrival = this.arrived.get(id);
    if (arrival === undefined) this.committed.set(id, at);
    else {
      this.arrived.delete(id);
      this.lags.push(Math.max(0, arrival - at));
    }
  }

  arrive(id: string, at: number): void {
    if (this.seen.has(id)) {
      this.duplicates++;
      return;
    }
    this.seen.add(id);
    this.lastArrival = at;
    if (this.marked && this.firstAfterMark === null) this.firstAfterMark = at;
    const commit = this.committed.get(id);
    if (commit === undefined) this.arrived.set(id, at);
    else {
      this.committed.delete(id);
      this.lags.push(at - commit);
    }
  }

  get received(): number {
    return this.seen.size;
  }
}

const now = () => performance.now();

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function startConsumer(topic: string, meter: LagMeter): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: `bench-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const at = now();
      for (const m of batch.messages) meter.arrive(m.headers?.['event-id']?.toString() ?? '', at);
    },
  });
  await until('the consumer to join its group', () => joined, 60_000);
  return consumer;
}

async function append(store: EventStore, meter: LagMeter): Promise<void> {
  const events = Array.from({ length: EVENTS_PER_APPEND }, benchEvent);
  await store.append(streamName(), events, 'any');
  const at = now();
  for (const e of events) meter.commit(e.id, at);
}

async function lagPhase(store: EventStore, meter: LagMeter) {
  const appends = (RATE * SECONDS) / EVENTS_PER_APPEND;
  const inFlight = new Set<Promise<void>>();
  const started = now();
  let sent = 0;
  let maxInFlight = 0;
  while (sent < appends) {
    const due = Math.min(appends, Math.floor((((now() - started) / 1000) * RATE) / EVENTS_PER_APPEND));
    for (; sent < due; sent++) {
      const p = append(store, meter).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    maxInFlight = Math.max(maxInFlight, inFlight.size);
    if (sent % (RATE / EVENTS_PER_APPEND) === 0 && sent > 0) process.stdout.write(`  ${Math.round((now() - started) / 1000)} s: ${meter.received} received\n`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(inFlight);
  const loadSeconds = (now() - started) / 1000;
  return { events: appends * EVENTS_PER_APPEND, offeredPerSecond: (appends * EVENTS_PER_APPEND) / loadSeconds, maxInFlight };
}

/** As the relay's bus creates them: 3 partitions. */
async function createTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

/** The floor: the relay's own messages for the same events, sent straight to the broker in the relay's batches. */
async function rawProducerRate(prefix: string, events: RecordedEvent[]): Promise<number> {
  await createTopic(topicOf(prefix, 'compute'));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const messages = events.map((e) => toBusMessage(prefix, e));
  const started = now();
  for (let i = 0; i < messages.length; i += RELAY_BATCH) {
    const batch = messages.slice(i, i + RELAY_BATCH);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic: batch[0].topic, messages: batch.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })) }],
    });
  }
  const rate = messages.length / ((now() - started) / 1000);
  await producer.disconnect();
  return rate;
}

type Placement = 'in-process' | 'own process';
type RelayHandle = { start(): Promise<void>; stop(): Promise<void> };

/** The relay inside the orchestrator, or `npm run relay` as a process of its own on the same store. */
async function relayOf(placement: Placement, running: RunningApp, env: NodeJS.ProcessEnv): Promise<RelayHandle> {
  if (placement === 'in-process') {
    const relay = running.app.get(EventRelay);
    return { start: () => relay.start(), stop: () => relay.stop() };
  }
  let child: RunningProcess | null = null;
  const handle = {
    start: async () => void (child = await startProcess('relay', [], { ...env, ORCH_LOG_LEVEL: 'info' }, 'relay running')),
    stop: async () => child?.stop('SIGTERM'),
  };
  await handle.start();
  return handle;
}

async function benchmark(store: 'embedded' | 'postgres', placement: Placement) {
  const prefix = `benchrelay${randomBytes(4).toString('hex')}`;
  const backing = await createBacking(store, {
    KAFKA_BROKERS: BROKERS.join(','),
    ORCH_KAFKA_TOPIC_PREFIX: prefix,
    ORCH_RELAY: placement === 'in-process' ? 'in-process' : 'off',
    ORCH_BILLING: 'off',
    ORCH_POLL_INTERVAL_MS: '250',
    ORCH_PG_POOL_SIZE: '20',
  });
  const running = await startApp(backing);
  const relay = await relayOf(placement, running, backing.env);
  try {
    const meter = new LagMeter();
    const topic = topicOf(prefix, 'compute');
    await createTopic(topic);
    const consumer = await startConsumer(topic, meter);

    process.stdout.write(`${store}, relay ${placement}: warming up\n`);
    for (let i = 0; i < 100; i++) await append(running.store, meter);
    await until('the warm-up events', () => meter.received >= 200, 60_000);
    meter.lags.length = 0;
    const before = meter.received;

    process.stdout.write(`${store}: ${RATE} events/s for ${SECONDS} s\n`);
    const load = await lagPhase(running.store, meter);
    await until('every event of the load', () => meter.received >= before + load.events, 120_000);
    const lags = [...meter.lags].sort((a, b) => a - b);

    process.stdout.write(`${store}: draining a backlog of ${BACKLOG} events\n`);
    await relay.stop();
    const head = await running.store.headPosition();
    for (let i = 0; i < BACKLOG / 100; i++) {
      await running.store.append(streamName(), Array.from({ length: 100 }, benchEvent), 'any');
    }
    const backlogStart = meter.received;
    meter.markFirst();
    await relay.start();
    await until('the backlog', () => meter.received >= backlogStart + BACKLOG, 300_000);
    // From the first backlog event's arrival to the last: a relay process's start-up is not counted.
    const drainPerSecond = (BACKLOG - 1) / ((meter.lastArrival - (meter.firstAfterMark as number)) / 1000);
    await consumer.disconnect();

    const backlogEvents: RecordedEvent[] = [];
    for (let after = head; backlogEvents.length < BACKLOG;) {
      const page = await running.store.readAll(after, 10_000);
      backlogEvents.push(...page);
      after = page[page.length - 1].position;
    }
    const rawPerSecond = await rawProducerRate(`${prefix}raw`, backlogEvents);

    return {
      store: `${store}, ${placement}`,
      sent: load.events,
      offered: load.offeredPerSecond,
      received: meter.received - before - BACKLOG,
      lost: before + load.events + BACKLOG - meter.received,
      duplicates: meter.duplicates,
      p50: percentile(lags, 50),
      p90: percentile(lags, 90),
      p99: percentile(lags, 99),
      max: lags[lags.length - 1],
      drainPerSecond,
      rawPerSecond,
    };
  } finally {
    await relay.stop();
    await running.close();
    await backing.destroy();
  }
}

async function main(): Promise<void> {
  const results = [];
  for (const store of STORES) for (const placement of ['in-process', 'own process'] as const) results.push(await benchmark(store, placement));
  const f = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  process.stdout.write(
    '\nstore, relay           sent     offered/s  lost  dup   lag p50 ms  p90 ms  p99 ms  max ms   drain ev/s  raw producer ev/s  drain/raw\n',
  );
  for (const r of results) {
    process.stdout.write(
      `${r.store.padEnd(22)} ${f(r.sent).padStart(8)} ${f(r.offered).padStart(10)} ${String(r.lost).padStart(5)} ${String(r.duplicates).padStart(4)}` +
        ` ${f(r.p50, 1).padStart(11)} ${f(r.p90, 1).padStart(7)} ${f(r.p99, 1).padStart(7)} ${f(r.max, 1).padStart(7)}` +
        ` ${f(r.drainPerSecond).padStart(12)} ${f(r.rawPerSecond).padStart(18)} ${(r.drainPerSecond / r.rawPerSecond).toFixed(2).padStart(10)}\n`,
    );
  }
  for (const last of results)
    process.stdout.write(
      `${last.store}: lag_p50_ms=${last.p50.toFixed(1)} lag_p99_ms=${last.p99.toFixed(1)} relay_drain_per_s=${Math.round(last.drainPerSecond)} raw_producer_per_s=${Math.round(last.rawPerSecond)}\n`,
    );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  },
);
