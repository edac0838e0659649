import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { OtelTracing } from './otel-tracing';

/** What the Zipkin exporter sends, as far as these tests look. */
type ZipkinSpan = {
  name: string;
  id: string;
  traceId: string;
  parentId?: string;
  kind?: string;
  timestamp: number;
  duration: number;
  tags: Record<string, string>;
  annotations: Array<{ timestamp: number; value: string }>;
};

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const traceIdOf = (traceparent: string | undefined) => traceparent?.split('-')[1];

describe('OtelTracing', () => {
  // Nothing listens there: the spans are dropped when exported, which this test does not wait for.
  const nowhere = { zipkinUrl: 'http://127.0.0.1:9/api/v2/spans', serviceName: 'orchestrator-test' };
  const tracing = new OtelTracing(nowhere);
  afterAll(() => tracing.shutdown().catch(() => undefined));

  it('continues the trace of the parent it is given, with a span id of its own', () => {
    const span = tracing.start('child', { parent: PARENT });
    span.end();
    expect(span.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(span.traceparent).not.toBe(PARENT);
  });

  it('starts a new trace without a parent or with a malformed one', () => {
    for (const parent of [undefined, 'garbage', '00-00000000000000000000000000000000-b7ad6b7169203331-01']) {
      const span = tracing.start('root', { parent });
      span.end();
      expect(span.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(traceIdOf(span.traceparent)).not.toBe('0af7651916cd43dd8448eb211c80319c');
    }
  });

  it('binds work to its span only while it runs, and finds it by the first bound key', async () => {
    const request = tracing.start('request', { parent: PARENT });
    let seen: string | undefined;
    await tracing.within('req-1', request, async () => {
      seen = tracing.traceOf(null, 'req-1', 'inst-1');
      expect(tracing.spanOf('req-1')).toBe(request);
    });
    request.end();
    expect(seen).toBe(request.traceparent);
    expect(traceIdOf(seen)).toBe(traceIdOf(PARENT));
    expect(tracing.traceOf('req-1')).toBeUndefined();
  });

  it('leaves a key that later work bound again (a reused request id) to that work', async () => {
    const first = tracing.start('first', {});
    const second = tracing.start('second', {});
    let release: () => void = () => undefined;
    const firstWork = tracing.within('req-2', first, () => new Promise<void>((resolve) => (release = resolve)));
    await tracing.within('req-2', second, async () => {
      release();
      await firstWork;
      expect(tracing.spanOf('req-2')).toBe(second);
    });
    expect(tracing.spanOf('req-2')).toBeUndefined();
  });

  it("keeps a caller's decision not to record: the same traceparent passed on, no span of its own", () => {
    const unsampled = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
    const span = tracing.start('child', { parent: unsampled });
    span.end();
    expect(span.traceparent).toBe(unsampled);
  });

  it('records the share of new traces its sample ratio says, and everything under one it does not', async () => {
    const never = new OtelTracing({ ...nowhere, sampleRatio: 0 });
    const root = never.start('root', {});
    expect(root.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(never.start('child', { parent: root.traceparent }).traceparent).toBe(root.traceparent);
    // A caller's recorded trace is recorded whatever the ratio.
    expect(never.start('child', { parent: PARENT }).traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    const quarter = new OtelTracing({ ...nowhere, sampleRatio: 0.25 });
    const recorded = Array.from({ length: 2_000 }, () => quarter.start('root', {}).traceparent?.endsWith('-01'));
    const share = recorded.filter(Boolean).length / recorded.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    await Promise.all([never.shutdown(), quarter.shutdown()]);
  });

  it('records the first `maxFanout` pieces of work fanned out from a span, then the rest of it in its trace but unrecorded', async () => {
    const limited = new OtelTracing({ ...nowhere, maxFanout: 2 });
    const request = limited.start('request', { parent: PARENT });
    const parents = Array.from({ length: 5 }, () => limited.fanOutFrom(request));
    expect(parents.slice(0, 2)).toEqual([request.traceparent, request.traceparent]);
    const unrecorded = `${request.traceparent?.slice(0, -2)}00`;
    expect(parents.slice(2)).toEqual([unrecorded, unrecorded, unrecorded]);
    // What is started under an unrecorded parent is not recorded either, and passes the same traceparent on.
    expect(limited.start('command instance', { parent: parents[4] }).traceparent).toBe(unrecorded);
    expect(limited.start('command instance', { parent: parents[0] }).traceparent).toMatch(/-01$/);
    // An unrecorded span has nothing to count: what fans out from it stays unrecorded.
    const notRecorded = limited.start('child', { parent: unrecorded });
    expect(limited.fanOutFrom(notRecorded)).toBe(unrecorded);
    await limited.shutdown();
  });

  it('ends a span whose work failed and passes the error on', async () => {
    await expect(
      tracing.span('failing', { parent: PARENT }, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });

  describe('exporting, on its own thread, to a Zipkin endpoint', () => {
    let server: Server;
    const received: ZipkinSpan[] = [];
    beforeAll(async () => {
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          received.push(...(JSON.parse(body) as ZipkinSpan[]));
          response.statusCode = 202;
          response.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('sends each span with the ids, times and events it was recorded with', async () => {
      const zipkinUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/spans`;
      const exporting = new OtelTracing({ zipkinUrl, serviceName: 'orchestrator-test', maxFanout: 1 });
      const before = Date.now();
      const request = exporting.start('POST /v1/instances', { kind: 'server', parent: PARENT });
      const [first, second] = [exporting.fanOutFrom(request), exporting.fanOutFrom(request)];
      exporting.start('command instance', { parent: second }).end();
      request.end();
      const step = exporting.start('provisioning spawning', { parent: first, attributes: { instance: 'i-1' } });
      step.event('command instance: 1 events appended');
      const call = exporting.start('hypervisor.define', { kind: 'client', parent: step.traceparent, attributes: { host: 'h-1' } });
      call.set({ domain: 'orch-i-1' });
      call.end(new Error('libvirt said no'));
      step.end();
      await exporting.flush();
      await exporting.shutdown();
      const byName = (name: string) => received.find((s) => s.name === name) as ZipkinSpan;
      const [stepSpan, callSpan] = [byName('provisioning spawning'), byName('hypervisor.define')];
      const requestSpan = byName('POST /v1/instances');
      // The work fanned out past the limit is not sent; the request's span says how much there was.
      expect(received.map((s) => s.name).sort()).toEqual(['POST /v1/instances', 'hypervisor.define', 'provisioning spawning']);
      expect(requestSpan.tags).toMatchObject({ 'orch.untraced_fanout': '1' });
      expect(stepSpan).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', parentId: requestSpan.id, id: step.traceparent?.split('-')[2] });
      expect(stepSpan.tags).toMatchObject({ instance: 'i-1' });
      expect(stepSpan.annotations.map((a) => a.value)).toEqual(['command instance: 1 events appended']);
      expect(callSpan).toMatchObject({ kind: 'CLIENT', traceId: stepSpan.traceId, parentId: stepSpan.id });
      expect(callSpan.tags).toMatchObject({ host: 'h-1', domain: 'orch-i-1', error: 'libvirt said no' });
      // Zipkin's times are whole epoch microseconds (it refuses a fraction): the span began after `before` and lies within its parent.
      for (const span of [stepSpan, callSpan, ...stepSpan.annotations]) expect(Number.isInteger(span.timestamp)).toBe(true);
      expect(stepSpan.timestamp).toBeGreaterThanOrEqual(before * 1000 - 1);
      expect(callSpan.timestamp).toBeGreaterThanOrEqual(stepSpan.timestamp);
      expect(callSpan.timestamp + callSpan.duration).toBeLessThanOrEqual(stepSpan.timestamp + stepSpan.duration + 1);
      expect(exporting.droppedSpans()).toBe(0);
    });
  });
});
