import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp, unlimitAdminProject } from '../support/app';
import { reportChaos } from '../support/chaos-report';
import { eventually } from '../support/eventually';
import { RunningProcess, startProcess } from '../support/processes';
import { KAFKA_BROKERS, describeWithPostgresAndKafka } from '../support/services';

const ROOT = path.resolve(__dirname, '../..');
const KAFKA_HOME = process.env.KAFKA_HOME || '/var/lib/orchestrator/kafka';
const CONTEXTS = ['compute', 'network', 'storage', 'identity', 'platform'];

/** Stops the test broker (SIGKILL: as a crash would) and starts it again with its data. */
function killBroker(): void {
  const pid = Number(fs.readFileSync(path.join(KAFKA_HOME, 'broker.pid'), 'utf8'));
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    execFileSync('sleep', ['0.1']);
  }
  throw new Error(`the broker (pid ${pid}) is still alive 10 s after SIGKILL`);
}

/** Whether something accepts connections on the broker's port now. */
function brokerAnswers(): Promise<boolean> {
  const [host, port] = KAFKA_BROKERS.split(',')[0].split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) }, () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
    socket.setTimeout(2_000, () => (socket.destroy(), resolve(false)));
  });
}
const startBroker = () => execFileSync('bash', ['scripts/ensure-kafka.sh'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });

/**
 * Through a real Kafka broker: the relay and the billing consumer as processes of their own beside
 * the orchestrator (PostgreSQL), a watcher consuming every topic. The broker is down for 30 s in
 * the middle of a launch burst, and the relay and the billing consumer are killed at random points:
 * no event of the log is missing on Kafka, and billing equals its recomputation from the log.
 */
describeWithPostgresAndKafka('Kafka: relay and billing through a real broker (PostgreSQL)', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  let backing: Backing;
  let running: RunningApp;
  let admin: string;
  let relay: RunningProcess | null = null;
  let billing: RunningProcess | null = null;
  let watcher: Consumer;
  const seen = new Map<string, { topic: string; key: string; type: string }>();
  /** Deliveries of each event id: more than one is a duplicate (the relay publishes at least once). */
  const deliveries = new Map<string, number>();
  const duplicates = () => [...deliveries.values()].reduce((sum, n) => sum + n - 1, 0);
  const figures: Record<string, unknown> = {};

  const env = () => ({ ...backing.env, KAFKA_BROKERS, ORCH_KAFKA_TOPIC_PREFIX: prefix, ORCH_LOG_LEVEL: 'info' });
  const startRelay = async () => (relay = await startProcess('relay', [], env(), 'relay running'));
  const startBilling = async () => (billing = await startProcess('billing', [], env(), 'billing consumer running'));
  const http = () => running.http;
  const launch = (n: number, name: string) =>
    http()
      .post('/v1/instances')
      .set(bearer(admin))
      .send({ name, flavor: 'small', image: 'img', networks: [{ network: 'net' }], minCount: n, maxCount: n });
  const logIds = async () => {
    const ids: string[] = [];
    for (let after = 0; ;) {
      const batch = await running.store.readAll(after, 5_000);
      if (batch.length === 0) return ids;
      ids.push(...batch.map((e) => e.id));
      after = batch[batch.length - 1].position;
    }
  };
  const everyEventOnKafka = async (timeoutMs = 120_000) => {
    const ids = await logIds();
    await eventually(
      async () => ids.filter((id) => !seen.has(id)).length,
      (missing) => missing === 0,
      'every event of the log on Kafka',
      timeoutMs,
      250,
    );
    return ids;
  };
  const billingEqualsLog = () =>
    eventually(
      async () => (await http().get('/v1/billing/check').set(bearer(admin))).body,
      (c) => c.ok === true,
      'billing equal to the log',
      120_000,
      500,
    );

  beforeAll(async () => {
    startBroker();
    backing = await createBacking('postgres', { KAFKA_BROKERS, ORCH_KAFKA_TOPIC_PREFIX: prefix, ORCH_RELAY: 'off', ORCH_BILLING: 'off' });
    running = await startApp(backing);
    admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    await unlimitAdminProject(http(), admin);
    await http().post('/v1/flavors').set(bearer(admin)).send({ name: 'small', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await http().post('/v1/images').set(bearer(admin)).send({ name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
    await http().post('/v1/hosts').set(bearer(admin)).send({ name: 'h', driver: 'simulated', vcpus: 64, ramMiB: 262_144, diskGiB: 10_000 });
    await http().post('/v1/networks').set(bearer(admin)).send({ name: 'net', cidr: '10.44.0.0/16' });
    await startRelay();
    await startBilling();
    const kafka = new Kafka({ clientId: `${prefix}-watcher`, brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20 } });
    watcher = kafka.consumer({ groupId: `${prefix}-watcher` });
    await watcher.connect();
    for (const c of CONTEXTS) await watcher.subscribe({ topic: `${prefix}.${c}.events`, fromBeginning: true });
    await watcher.run({
      eachMessage: async ({ topic, message }) => {
        const id = message.headers?.['event-id']?.toString() ?? '';
        seen.set(id, { topic, key: message.key?.toString() ?? '', type: message.headers?.['event-type']?.toString() ?? '' });
        deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
      },
    });
  }, 180_000);

  afterAll(async () => {
    process.stdout.write(`KAFKA ${JSON.stringify({ ...figures, delivered: [...deliveries.values()].reduce((a, b) => a + b, 0), duplicates: duplicates() })}\n`);
    await watcher?.disconnect().catch(() => undefined);
    await relay?.stop('SIGKILL');
    await billing?.stop('SIGKILL');
    await running?.close();
    await backing?.destroy();
    startBroker();
  }, 60_000);

  it('publishes every event, keyed by aggregate on its context topic, with its id, type and schema version', async () => {
    const accepted = await launch(5, 'first');
    expect(accepted.status).toBe(202);
    await eventually(
      async () => (await http().get(`/v1/operations/${accepted.body.operation.id}`).set(bearer(admin))).body.status,
      (status) => status === 'succeeded',
      'the launch',
      60_000,
    );
    await everyEventOnKafka();
    const sample = (await running.store.readAll(0, 5_000)).find((e) => e.type === 'InstanceRequested');
    expect(seen.get(sample?.id ?? '')).toEqual({ topic: `${prefix}.compute.events`, key: sample?.stream, type: 'InstanceRequested' });
    const project = (await running.store.readAll(0, 5_000)).find((e) => e.type === 'ProjectCreated');
    expect(seen.get(project?.id ?? '')?.topic).toBe(`${prefix}.identity.events`);
    expect([...seen.values()].filter((m) => m.type === 'InstanceActivated' && m.topic === `${prefix}.compute.events`)).toHaveLength(5);
    await billingEqualsLog();
  }, 180_000);

  it('loses nothing while the broker is down for 30 s in the middle of a launch burst', async () => {
    const burst: Promise<unknown>[] = [];
    for (let i = 0; i < 5; i++) burst.push(launch(10, `before-${i}`));
    await Promise.all(burst);
    killBroker();
    const downSince = Date.now();
    expect(await brokerAnswers()).toBe(false); // the broker is really down
    const headAtKill = await running.store.headPosition();
    for (let i = 0; i < 5; i++) expect((await launch(10, `during-${i}`)).status).toBe(202); // the API does not depend on the broker
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30_000 - (Date.now() - downSince))));
    // Nothing recorded while it was down reached Kafka: the outage held for the whole 30 s.
    const whileDown = (await running.store.readAll(headAtKill, 5_000)).map((e) => e.id);
    expect(whileDown.length).toBeGreaterThan(50);
    expect(await brokerAnswers()).toBe(false);
    expect(whileDown.filter((id) => seen.has(id))).toEqual([]);
    startBroker();
    const restartedAt = Date.now();
    const duplicatesBefore = duplicates();
    const after: number[] = [];
    for (let i = 0; i < 3; i++) after.push((await launch(10, `after-${i}`)).status);
    const ids = await everyEventOnKafka(180_000);
    await billingEqualsLog();
    reportChaos({
      scenario: 'Kafka broker down for 30 s mid-burst',
      load: '13 launches of 10 (relay and billing as processes)',
      faults: 'broker SIGKILLed, restarted 30 s later',
      acknowledged: ids.length,
      lost: ids.filter((id) => !seen.has(id)).length,
      orphans: null,
      fiveXx: after.filter((status) => status >= 500).length,
      recoverSeconds: (Date.now() - restartedAt) / 1000,
      notes: `acknowledged = events in the log; ${duplicates() - duplicatesBefore} duplicates on the topics; billing exact`,
    });
    expect(relay?.child.exitCode).toBeNull(); // the relay waited for the broker rather than dying
    figures.brokerDown = { eventsWhileDown: whileDown.length, duplicatesAfter: duplicates() - duplicatesBefore };
  }, 300_000);

  it('loses nothing and bills exactly when the relay and the billing consumer are killed at random points', async () => {
    const rounds = 4;
    const duplicatesBefore = duplicates();
    const statuses: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const launching = launch(20, `kill-${round}`);
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(Math.random() * 400)));
      const victims = round % 2 === 0 ? [relay, billing] : [billing, relay];
      for (const v of victims) {
        await v?.stop('SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 300)));
      }
      statuses.push((await launching).status);
      await startRelay();
      await startBilling();
    }
    const lastRestart = Date.now();
    const ids = await everyEventOnKafka(180_000);
    await billingEqualsLog();
    reportChaos({
      scenario: 'relay and billing consumer SIGKILLed',
      load: `${rounds} launches of 20`,
      faults: `${rounds * 2} kills at random points`,
      acknowledged: ids.length,
      lost: ids.filter((id) => !seen.has(id)).length,
      orphans: null,
      fiveXx: statuses.filter((status) => status >= 500).length,
      recoverSeconds: (Date.now() - lastRestart) / 1000,
      notes: `acknowledged = events in the log; ${duplicates() - duplicatesBefore} duplicates on the topics; billing exact`,
    });
    figures.relayAndBillingKilled = { rounds, duplicatesAfter: duplicates() - duplicatesBefore };
  }, 300_000);
});
