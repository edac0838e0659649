import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';

/** Reads Server-Sent Events until `count` events arrived; returns their ids and types. */
function readSse(
  port: number,
  path: string,
  headers: Record<string, string>,
  count: number,
): Promise<Array<{ id: string; event: string; data: { position: number } }>> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE status ${res.statusCode}`));
      let buffer = '';
      const events: Array<{ id: string; event: string; data: { position: number } }> = [];
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':') && l.includes(': '))
              .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
          );
          if (fields.id) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
          if (events.length >= count) {
            req.destroy();
            resolve(events);
          }
        }
      });
    });
    req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
    setTimeout(() => reject(new Error('SSE timeout')), 10_000).unref();
  });
}

describe('Operations endpoints (embedded)', () => {
  let backing: Backing;
  let running: RunningApp;
  let admin: string;

  beforeAll(async () => {
    backing = await createBacking('embedded');
    running = await startApp(backing);
    admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
  });

  afterAll(async () => {
    await running?.close();
    await backing?.destroy();
  });

  it('answers liveness and readiness without credentials', async () => {
    expect((await running.http.get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await running.http.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ eventStore: 'up' });
  });

  it('exposes Prometheus metrics: requests, latencies, events appended', async () => {
    await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'metered' });
    const metrics = await running.http.get('/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toMatch(/orch_http_requests_total\{method="POST",route="\/v1\/projects",status="201"\} [1-9]/);
    expect(metrics.text).toContain('orch_http_request_duration_seconds_bucket');
    const appended = /orch_events_appended_total (\d+)/.exec(metrics.text);
    expect(Number(appended?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('serves an OpenAPI document that matches the routes, and a browsable UI', async () => {
    const doc = await running.http.get('/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/v1/auth/tokens',
      '/v1/projects',
      '/v1/projects/{id}',
      '/v1/projects/{id}/usage',
      '/v1/users',
      '/v1/access-keys',
      '/v1/events',
      '/v1/events/stream',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(doc.body.components.schemas.CreateProjectDto.required).toEqual(['name']);
    const ui = await running.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('streams the log as Server-Sent Events and resumes from Last-Event-ID', async () => {
    const port = (running.app.getHttpServer().address() as AddressInfo).port;
    const head = await running.store.headPosition();
    const live = readSse(port, `/v1/events/stream?after=${head}&type=ProjectCreated`, bearer(admin), 2);
    await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'streamed-1' });
    await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'streamed-2' });
    const events = await live;
    expect(events.map((e) => e.event)).toEqual(['ProjectCreated', 'ProjectCreated']);
    expect(Number(events[0].id)).toBeGreaterThan(head);

    const resumed = await readSse(port, '/v1/events/stream?type=ProjectCreated', { ...bearer(admin), 'Last-Event-ID': events[0].id }, 1);
    expect(resumed[0].id).toBe(events[1].id);
  });

  it('logs one JSON line per request, with the request id', async () => {
    await running.http.get('/healthz').set('X-Request-Id', 'trace-me-1');
    const line = running.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === 'trace-me-1');
    expect(line).toMatchObject({ level: 'info', msg: 'http', method: 'GET', path: '/healthz', status: 200 });
  });
});
