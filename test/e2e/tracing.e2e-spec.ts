import { randomBytes } from 'node:crypto';
import { ADMIN_PASSWORD } from '../support/app';
import { ClusterBacking, Orchestrator, createClusterBacking, startOrchestrator } from '../support/cluster';
import { Api, api, prepareSimulatedCloud } from '../support/cluster-cloud';
import { eventually } from '../support/eventually';
import { KAFKA_BROKERS, describeWithKafkaAndZipkin } from '../support/services';

const ZIPKIN = process.env.ZIPKIN_TEST_URL || 'http://127.0.0.1:9411';

type ZipkinSpan = {
  id: string;
  parentId?: string;
  name: string;
  timestamp: number;
  duration?: number;
  kind?: string;
  localEndpoint?: { serviceName: string };
  annotations?: Array<{ timestamp: number; value: string }>;
  tags?: Record<string, string>;
};

/**
 * One trace from an API request to the billing consumer, in a real Zipkin server (in-memory, started
 * by the test command): an orchestrator process with ORCH_ZIPKIN_URL set and the relay and billing
 * on a real Kafka broker. The launch is sent with a W3C traceparent, so the whole trace has a known id.
 */
describeWithKafkaAndZipkin('Tracing to Zipkin (real processes, Kafka and Zipkin)', () => {
  let backing: ClusterBacking;
  let orchestrator: Orchestrator;
  let admin: Api;

  beforeAll(async () => {
    backing = await createClusterBacking({
      ORCH_ZIPKIN_URL: ZIPKIN,
      KAFKA_BROKERS,
      ORCH_KAFKA_TOPIC_PREFIX: `trace${randomBytes(4).toString('hex')}`,
      ORCH_SIM_LATENCY_MS: '5',
      // A launch's quota reservation, its operation and its first instance traced whole; the rest not recorded.
      ORCH_TRACE_MAX_FANOUT: '3',
    });
    orchestrator = await startOrchestrator(backing);
    const token = (await api(orchestrator.url).post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).body.token as string;
    admin = api(orchestrator.url, token);
    await prepareSimulatedCloud(admin, 1);
  }, 120_000);

  afterAll(async () => {
    await orchestrator?.stop('SIGTERM');
    await backing?.destroy();
  });

  it('follows a launch from the request through the command, the append, every saga step and driver call, and across Kafka to the billing consumer', async () => {
    const traceId = randomBytes(16).toString('hex');
    const launched = await admin.post(
      '/v1/instances',
      { name: 'traced', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] },
      { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    );
    expect(launched.status).toBe(202);
    const instanceId = launched.body.instances[0].id as string;
    // The events of the launch carry the trace they were appended in.
    const events = (await admin.get(`/v1/events?stream=instance-${instanceId}`)).body.items as Array<{ type: string; metadata: { traceparent?: string } }>;
    expect(events[0].metadata.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    const has = (spans: ZipkinSpan[], name: string) => spans.some((s) => s.name === name);
    const spans = await eventually(
      async () => {
        const answer = await fetch(`${ZIPKIN}/api/v2/trace/${traceId}`);
        return answer.status === 200 ? ((await answer.json()) as ZipkinSpan[]) : [];
      },
      (s) => has(s, 'billing meter instanceactivated') && has(s, 'hypervisor.waituntilready'),
      'the whole trace in Zipkin',
      60_000,
      500,
    );
    const first = (name: string) => {
      const found = spans.filter((s) => s.name === name).sort((a, b) => a.timestamp - b.timestamp)[0];
      if (!found) throw new Error(`no span "${name}" in ${JSON.stringify(spans.map((s) => s.name).sort())}`);
      return found;
    };
    const request = first('post /v1/instances');
    expect(request.kind).toBe('SERVER');
    const command = first('command instance');
    const append = spans.find((s) => s.name === 'append' && s.parentId !== undefined && isUnder(spans, s, request)) as ZipkinSpan;
    expect(append).toBeDefined();
    expect(isUnder(spans, command, request)).toBe(true);
    expect(spans.find((s) => s.id === append.parentId)?.name).toMatch(/^command /);
    // The saga's steps, in order, each continuing the trace through the event that triggered it.
    const steps = ['provisioning scheduling', 'provisioning networking', 'provisioning block_device_mapping', 'provisioning spawning'].map(first);
    expect(steps.map((s) => s.timestamp)).toEqual([...steps.map((s) => s.timestamp)].sort((a, b) => a - b));
    expect(steps.every((s) => isUnder(spans, s, request))).toBe(true);
    expect(steps[0].timestamp).toBeGreaterThanOrEqual(request.timestamp);
    // Driver calls inside the spawn step.
    for (const name of ['hypervisor.define', 'hypervisor.start', 'hypervisor.waituntilready']) expect(isUnder(spans, first(name), steps[3])).toBe(true);
    expect(isUnder(spans, first('switch.plugport'), steps[3])).toBe(true);
    expect(isUnder(spans, first('storage.createvolume'), steps[2])).toBe(true);
    // A step's commands are timed events of its span (its events carry the step's traceparent).
    expect(steps[3].annotations?.map((a) => a.value)).toContainEqual(`command instance-${instanceId}: 1 events appended`);
    // Across Kafka: the message carries the trace of the span that appended InstanceActivated (the
    // spawn step, which activates the instance), and the billing consumer's span is its child.
    const billed = first('billing meter instanceactivated');
    expect(billed.kind).toBe('CONSUMER');
    expect(billed.parentId).toBe(steps[3].id);
    expect(billed.timestamp).toBeGreaterThanOrEqual(steps[3].timestamp);
    expect(new Set(spans.map((s) => s.localEndpoint?.serviceName))).toEqual(new Set(['orchestrator']));
  }, 120_000);

  it('traces the first commands of a large launch whole, and the rest of it in the same trace unrecorded, counted on the request', async () => {
    const traceId = randomBytes(16).toString('hex');
    const launched = await admin.post(
      '/v1/instances',
      { name: 'fanned', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }], minCount: 4, maxCount: 4 },
      { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    );
    expect(launched.status).toBe(202);
    const ids = (launched.body.instances as Array<{ id: string }>).map((i) => i.id);
    // Every instance is provisioned, traced or not.
    await eventually(
      async () => Promise.all(ids.map(async (id) => (await admin.get(`/v1/instances/${id}`)).body.state as string)),
      (states) => states.every((s) => s === 'active'),
      'all four instances active',
      60_000,
      250,
    );
    const flags = await Promise.all(
      ids.map(async (id) => {
        const events = (await admin.get(`/v1/events?stream=instance-${id}`)).body.items as Array<{ metadata: { traceparent?: string } }>;
        expect(events[0].metadata.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
        return events[0].metadata.traceparent?.slice(-2);
      }),
    );
    expect(flags.sort()).toEqual(['00', '00', '00', '01']);
    const spans = await eventually(
      async () => {
        const answer = await fetch(`${ZIPKIN}/api/v2/trace/${traceId}`);
        return answer.status === 200 ? ((await answer.json()) as ZipkinSpan[]) : [];
      },
      (s) => s.some((span) => span.name === 'billing meter instanceactivated'),
      'the launch with its one traced instance in Zipkin',
      60_000,
      500,
    );
    // Give the export a moment: nothing more of this trace may arrive.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const final = (await (await fetch(`${ZIPKIN}/api/v2/trace/${traceId}`)).json()) as ZipkinSpan[];
    const count = (name: string) => final.filter((s) => s.name === name).length;
    expect(count('command instance')).toBe(1);
    expect(count('provisioning spawning')).toBe(1);
    expect(count('billing meter instanceactivated')).toBe(1);
    expect(final.length).toBeGreaterThanOrEqual(spans.length);
    const request = final.find((s) => s.name === 'post /v1/instances') as ZipkinSpan;
    expect(request.tags?.['orch.untraced_fanout']).toBe('3');
  }, 120_000);
});

/** Whether `span` descends from `ancestor` through parent ids within the trace. */
function isUnder(spans: ZipkinSpan[], span: ZipkinSpan, ancestor: ZipkinSpan): boolean {
  const byId = new Map(spans.map((s) => [s.id, s]));
  for (let at: ZipkinSpan | undefined = span; at; at = at.parentId ? byId.get(at.parentId) : undefined) if (at.id === ancestor.id) return true;
  return false;
}
