import fc from 'fast-check';
import { Ec2ActionRegistry } from '../../src/interfaces/ec2/ec2-action-registry';
import { signedEc2Post } from '../bench/ec2-signer';
import { ADMIN_PASSWORD, Backing, RunningApp, createBacking, startApp } from '../support/app';
import { api, prepareSimulatedCloud } from '../support/cluster-cloud';
import { settled } from '../support/eventually';
import { ec2Forms, openStackRequests } from '../support/fuzz-interfaces';
import { FuzzRequest, OpenApiDocument, Pools, requestsFrom } from '../support/fuzz-requests';
import { baseUrlOf } from '../support/openstack-clients';
import { ed25519Key } from '../support/ssh-keys';

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const REST_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const INTERFACE_RUNS = Math.ceil(REST_RUNS / 4);

type Outcome = { id: string; request: unknown; status: number };

/** Creates what the generated requests may name, and returns the pools of their ids and names. */
async function cloudToFuzz(url: string, admin: string): Promise<{ pools: Pools; member: string; key: { accessKeyId: string; secretAccessKey: string } }> {
  const as = api(url, admin);
  const must = async <T = Record<string, unknown>>(call: Promise<{ status: number; body: unknown }>, what: string): Promise<T> => {
    const response = await call;
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as T;
  };
  await prepareSimulatedCloud(as, 2, '10.77.0.0/24');
  const adminProject = (await as.get('/v1/projects')).body.items[0].id;
  const other = await must<{ id: string }>(as.post('/v1/projects', { name: 'fuzz-other' }), 'project');
  await must(as.post('/v1/users', { name: 'fuzz-member', password: 'long enough password', projectId: other.id, role: 'member' }), 'user');
  // The user whose roles the generated requests may change (not the member sending requests).
  const user = await must<{ id: string }>(
    as.post('/v1/users', { name: 'fuzz-target', password: 'long enough password', projectId: other.id, role: 'reader' }),
    'user',
  );
  const member = (await as.post('/v1/auth/tokens', { username: 'fuzz-member', password: 'long enough password', project: 'fuzz-other' })).body.token;
  const spare = (await as.post('/v1/auth/tokens', { username: 'fuzz-member', password: 'long enough password', project: 'fuzz-other' })).body.token as string;
  const net = await must<{ id: string; subnets?: Array<{ id: string }> }>(as.get('/v1/networks/net'), 'network');
  const group = await must<{ id: string; rules?: Array<{ id: string }> }>(as.post('/v1/security-groups', { name: 'fuzz-group' }), 'security group');
  await must(as.post('/v1/keypairs', { name: 'kp', publicKey: ed25519Key(7) }), 'key pair');
  const launch = await must<{ operation: { id: string }; instances: Array<{ id: string }> }>(
    as.post('/v1/instances', { name: 'fuzz', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] }),
    'launch',
  );
  await settled(() => as.get(`/v1/operations/${launch.operation.id}`).then((r) => r.body), launch.operation.id);
  const volume = await must<{ operation: { id: string }; volume: { id: string } }>(as.post('/v1/volumes', { name: 'fuzz', sizeGiB: 1 }), 'volume');
  await settled(() => as.get(`/v1/operations/${volume.operation.id}`).then((r) => r.body), volume.operation.id);
  const snapshot = await must<{ operation: { id: string }; snapshot?: { id: string } }>(
    as.post(`/v1/volumes/${volume.volume.id}/snapshots`, { name: 'fuzz' }),
    'snapshot',
  );
  const fip = await must<{ id: string }>(as.post('/v1/floating-ips', {}), 'floating ip');
  const router = await must<{ id: string }>(as.post('/v1/routers', { name: 'fuzz' }), 'router');
  const accessKey = await must<{ accessKeyId: string; secretAccessKey: string }>(as.post('/v1/access-keys', {}), 'access key');
  // One the generated requests may delete, and this one, which signs the EC2 requests, they may not.
  const deletable = await must<{ accessKeyId: string }>(as.post('/v1/access-keys', {}), 'access key');
  const instance = launch.instances[0].id;
  const port = ((await as.get(`/v1/instances/${instance}`)).body.addresses ?? [])[0]?.portId as string | undefined;
  const sgFull = (await as.get(`/v1/security-groups/${group.id}`)).body as { rules?: Array<{ id: string }> };
  const pools: Pools = {
    flavors: ['tiny'],
    images: ['img'],
    networks: [net.id, 'net', 'public'],
    subnets: (net.subnets ?? []).map((s) => s.id),
    securityGroups: [group.id, 'fuzz-group', 'default'],
    'security-groups': [group.id, 'fuzz-group'],
    rules: (sgFull.rules ?? []).map((r) => r.id),
    keypairs: ['kp'],
    keyName: ['kp'],
    hosts: ['sim-0', 'sim-1'],
    instances: [instance],
    ports: port ? [port] : [],
    volumes: [volume.volume.id],
    snapshots: snapshot.snapshot ? [snapshot.snapshot.id] : [],
    'floating-ips': [fip.id],
    floatingIps: [fip.id],
    routers: [router.id],
    projects: [adminProject, other.id],
    users: [user.id],
    'access-keys': [deletable.accessKeyId],
    operations: [launch.operation.id, volume.operation.id],
    tokens: [spare.split('.')[0]],
    ec2Ids: ['i-' + instance.replace(/^[a-z]+-/, ''), 'ami-00000001', 'vol-' + volume.volume.id.replace(/^[a-z]+-/, ''), 'sg-1', fip.id],
  };
  return { pools, member, key: accessKey };
}

/**
 * Property-based requests: 10,000 from the OpenAPI document (wrong types, missing and extra fields,
 * huge and negative numbers, long and control-character strings, injection strings, bodies that
 * are not JSON, other content types, other projects' and no credentials), then OpenStack and EC2
 * requests from their routes' and actions' parameter lists. No answer is a 5xx or a hang, no
 * refused request appends an event, and the process stays healthy.
 */
describe('Fuzzing every interface (embedded)', () => {
  let backing: Backing;
  let running: RunningApp;
  let url: string;
  let tokens: Record<FuzzRequest['credential'], string | null>;
  let pools: Pools;
  let key: { accessKeyId: string; secretAccessKey: string };
  const outcomes: Outcome[] = [];
  let counter = 0;

  beforeAll(async () => {
    backing = await createBacking('embedded', { ORCH_RATE_LIMIT_ADDRESS: 'off', ORCH_RATE_LIMIT_USER: 'off', ORCH_RATE_LIMIT_FAILED_LOGINS: 'off' });
    running = await startApp(backing);
    url = baseUrlOf(running);
    const admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    const cloud = await cloudToFuzz(url, admin);
    pools = cloud.pools;
    key = cloud.key;
    tokens = { admin, member: cloud.member, none: null, garbage: 'tok-0123abcd.AAAAAAAAAAAAAAAAAAAAAAAA' };
  }, 120_000);

  afterAll(async () => {
    const byStatus: Record<string, number> = {};
    for (const o of outcomes) {
      const request = o.request as FuzzRequest;
      const key = `${request.path === '/ec2' ? 'ec2' : request.credential}:${o.status}`;
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
    process.stdout.write(`FUZZ ${JSON.stringify({ seed: SEED, requests: outcomes.length, byStatus })}\n`);
    await running?.close();
    await backing?.destroy();
  });

  /** Sends one request; an admin token revoked by a generated request is replaced. */
  async function send(request: FuzzRequest, headers: Record<string, string> = {}): Promise<Outcome> {
    const id = `fuzz-${++counter}`;
    const token = tokens[request.credential];
    const query = new URLSearchParams(request.query).toString();
    const init: RequestInit & { headers: Record<string, string> } = {
      method: request.method,
      headers: { 'X-Request-Id': id, ...headers },
      signal: AbortSignal.timeout(15_000),
    };
    if (token) init.headers.authorization = `Bearer ${token}`;
    const bodyAllowed = request.method !== 'GET' && request.method !== 'HEAD'; // fetch sends none with them
    if (!bodyAllowed) {
      // nothing
    } else if (request.body && 'json' in request.body) {
      init.body = JSON.stringify(request.body.json) ?? 'null';
      init.headers['content-type'] = 'application/json';
    } else if (request.body) {
      init.body = request.body.raw;
      init.headers['content-type'] = request.body.contentType;
    }
    let status: number;
    try {
      const response = await fetch(`${url}${request.path}${query ? `?${query}` : ''}`, init);
      status = response.status;
      await response.arrayBuffer();
    } catch (error) {
      status = -1; // no answer at all: a hang or a dropped connection
      process.stdout.write(`FUZZ no answer ${id}: ${String(error)}\n`);
    }
    const outcome = { id, request, status };
    outcomes.push(outcome);
    if (request.credential === 'admin' && status === 401) tokens.admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    if (status === 501 || status === 500) process.stdout.write(`FUZZ ${status} ${id}: ${JSON.stringify(request)}\n`);
    return outcome;
  }

  const failures = (from: number) => outcomes.slice(from).filter((o) => o.status >= 500 || o.status < 0);

  it(`answers ${REST_RUNS} requests generated from the OpenAPI document without a 5xx`, async () => {
    const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as OpenApiDocument;
    const excluded = (method: string, path: string) => path === '/v1/events/stream' || (method === 'DELETE' && path === '/v1/auth/tokens');
    const from = outcomes.length;
    for (const request of fc.sample(requestsFrom(doc, pools, excluded), { numRuns: REST_RUNS, seed: SEED })) await send(request);
    expect(failures(from)).toEqual([]);
    expect(outcomes.slice(from).filter((o) => o.status >= 400).length).toBeGreaterThan(REST_RUNS / 2);
    expect(outcomes.slice(from).filter((o) => o.status < 300).length).toBeGreaterThan(REST_RUNS / 20);
  }, 900_000);

  it(`answers ${INTERFACE_RUNS} OpenStack requests without a 5xx`, async () => {
    const from = outcomes.length;
    for (const request of fc.sample(openStackRequests(pools), { numRuns: INTERFACE_RUNS, seed: SEED + 1 })) await send(request);
    expect(failures(from)).toEqual([]);
  }, 600_000);

  it(`answers ${INTERFACE_RUNS} signed EC2 requests without a 5xx`, async () => {
    const from = outcomes.length;
    const actions = running.app.get(Ec2ActionRegistry).names();
    for (const form of fc.sample(ec2Forms(actions, pools), { numRuns: INTERFACE_RUNS, seed: SEED + 2 })) {
      await send(
        { method: 'POST', path: '/ec2', query: {}, body: { raw: form, contentType: 'application/x-www-form-urlencoded; charset=utf-8' }, credential: 'none' },
        signedEc2Post(`${url}/ec2`, form, key),
      );
    }
    expect(failures(from)).toEqual([]);
    // Signed well enough to reach the actions: refusals are the actions', not the signature's.
    expect(outcomes.slice(from).filter((o) => o.status === 401 || o.status === 403).length).toBeLessThan(INTERFACE_RUNS / 10);
  }, 600_000);

  it('refuses a list cursor it did not give out with 400, not an empty page', async () => {
    const get = (query: string) => fetch(`${url}/v1/flavors?${query}`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    const first = (await (await get('limit=1')).json()) as { items: unknown[]; nextCursor: string | null };
    expect(first.items).toHaveLength(1);
    expect((await get(`limit=1&cursor=${first.nextCursor ?? ''}`)).status).toBe(first.nextCursor ? 200 : 400);
    for (const cursor of ['zzzz!!', '%00', 'AAAA', '____', 'x'.repeat(600), Buffer.from('\u0001id').toString('base64url'), `${first.nextCursor}=`]) {
      const response = await get(`cursor=${encodeURIComponent(cursor)}`);
      expect([cursor, response.status]).toEqual([cursor, 400]);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ValidationFailed');
    }
  });

  it('appended no event for a refused request, and is healthy afterwards', async () => {
    const refused = new Set(outcomes.filter((o) => o.status >= 400).map((o) => o.id));
    const offending: Array<{ requestId: string; type: string }> = [];
    for (let after = 0; ;) {
      const batch = await running.store.readAll(after, 5_000);
      if (batch.length === 0) break;
      for (const e of batch) if (e.metadata.requestId && refused.has(e.metadata.requestId)) offending.push({ requestId: e.metadata.requestId, type: e.type });
      after = batch[batch.length - 1].position;
    }
    const requests = [...new Set(offending.map((o) => o.requestId))].map((id) => {
      const outcome = outcomes.find((o) => o.id === id) as Outcome;
      return { ...outcome, types: offending.filter((o) => o.requestId === id).map((o) => o.type) };
    });
    expect({ offending, requests }).toEqual({ offending: [], requests: [] });
    expect(refused.size).toBeGreaterThan(REST_RUNS / 2);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await fetch(`${url}/v1/flavors`, { headers: { Authorization: `Bearer ${tokens.admin}` } })).status).toBe(200);
  });
});
