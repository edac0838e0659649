import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';

type Case = {
  name: string;
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string | (() => string);
  /** An object is sent as JSON; a string is sent raw with the given content type. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  as?: 'admin' | 'member' | 'reader' | 'none';
  status: number;
  code: string;
};

/**
 * Bad input of every kind, end to end: each gets a clear 4xx with the API's error body and
 * request id, and none appends a single event.
 */
describe('Bad input over HTTP (embedded)', () => {
  let backing: Backing;
  let running: RunningApp;
  const tokens: Record<string, string> = {};
  let projectA = '';
  let projectB = '';

  beforeAll(async () => {
    backing = await createBacking('embedded', { ORCH_BODY_LIMIT_BYTES: String(1024 * 1024) });
    running = await startApp(backing);
    tokens.admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    projectA = (await running.http.post('/v1/projects').set(bearer(tokens.admin)).send({ name: 'a' })).body.id;
    projectB = (await running.http.post('/v1/projects').set(bearer(tokens.admin)).send({ name: 'b' })).body.id;
    for (const [name, role] of [
      ['member', 'member'],
      ['reader', 'reader'],
    ]) {
      await running.http.post('/v1/users').set(bearer(tokens.admin)).send({ name, password: 'long enough password', projectId: projectA, role });
      tokens[name] = await running.login(name, 'long enough password', 'a');
    }
  });

  afterAll(async () => {
    await running?.close();
    await backing?.destroy();
  });

  const tenMegabytes = 'x'.repeat(10 * 1024 * 1024);
  const cases: Case[] = [
    {
      name: 'malformed JSON',
      method: 'post',
      path: '/v1/projects',
      body: '{"name": "x",',
      contentType: 'application/json',
      status: 400,
      code: 'MalformedJson',
    },
    {
      name: 'a JSON string as body',
      method: 'post',
      path: '/v1/projects',
      body: '"just a string"',
      contentType: 'application/json',
      status: 400,
      code: 'MalformedJson',
    },
    { name: 'a JSON array as body', method: 'post', path: '/v1/projects', body: [{ name: 'x' }], status: 400, code: 'ValidationFailed' },
    { name: 'no body at all', method: 'post', path: '/v1/projects', status: 400, code: 'ValidationFailed' },
    { name: 'text/plain body', method: 'post', path: '/v1/projects', body: 'name=x', contentType: 'text/plain', status: 400, code: 'ValidationFailed' },
    { name: 'missing field', method: 'post', path: '/v1/projects', body: { quotas: {} }, status: 400, code: 'ValidationFailed' },
    { name: 'extra field', method: 'post', path: '/v1/projects', body: { name: 'x1', owner: 'me' }, status: 400, code: 'ValidationFailed' },
    { name: 'extra nested field', method: 'post', path: '/v1/projects', body: { name: 'x2', quotas: { gpus: 1 } }, status: 400, code: 'ValidationFailed' },
    { name: 'wrong type (number for name)', method: 'post', path: '/v1/projects', body: { name: 42 }, status: 400, code: 'ValidationFailed' },
    {
      name: 'wrong type (string quota)',
      method: 'post',
      path: '/v1/projects',
      body: { name: 'x3', quotas: { vcpus: '10' } },
      status: 400,
      code: 'ValidationFailed',
    },
    { name: 'quotas as an array', method: 'post', path: '/v1/projects', body: { name: 'x4', quotas: [1, 2] }, status: 400, code: 'ValidationFailed' },
    { name: 'negative quota', method: 'post', path: '/v1/projects', body: { name: 'x5', quotas: { vcpus: -5 } }, status: 400, code: 'ValidationFailed' },
    { name: 'huge quota', method: 'post', path: '/v1/projects', body: { name: 'x6', quotas: { vcpus: 1e12 } }, status: 400, code: 'ValidationFailed' },
    {
      name: 'quota beyond float range',
      method: 'post',
      path: '/v1/projects',
      body: '{"name":"x7","quotas":{"vcpus":1e400}}',
      contentType: 'application/json',
      status: 400,
      code: 'ValidationFailed',
    },
    { name: 'fractional quota', method: 'post', path: '/v1/projects', body: { name: 'x8', quotas: { vcpus: 1.5 } }, status: 400, code: 'ValidationFailed' },
    { name: 'empty quota patch', method: 'patch', path: () => `/v1/projects/${projectA}`, body: { quotas: {} }, status: 400, code: 'ValidationFailed' },
    { name: 'control characters in a name', method: 'post', path: '/v1/projects', body: { name: 'ab\u0007c' }, status: 400, code: 'ValidationFailed' },
    { name: 'a newline in a name', method: 'post', path: '/v1/projects', body: { name: 'ab\ncd' }, status: 400, code: 'ValidationFailed' },
    { name: 'right-to-left override in a name', method: 'post', path: '/v1/projects', body: { name: 'abc\u202Edef' }, status: 400, code: 'ValidationFailed' },
    { name: 'emoji name', method: 'post', path: '/v1/projects', body: { name: '💥' }, status: 400, code: 'ValidationFailed' },
    { name: 'empty name', method: 'post', path: '/v1/projects', body: { name: '' }, status: 400, code: 'ValidationFailed' },
    { name: 'name of 65 characters', method: 'post', path: '/v1/projects', body: { name: 'n'.repeat(65) }, status: 400, code: 'ValidationFailed' },
    {
      name: 'body over the limit (2 MB)',
      method: 'post',
      path: '/v1/projects',
      body: { name: 'x'.repeat(2 * 1024 * 1024) },
      status: 413,
      code: 'PayloadTooLarge',
    },
    {
      name: 'a 10 MB string',
      method: 'post',
      path: '/v1/users',
      body: { name: 'x', password: tenMegabytes, projectId: 'prj-0', role: 'member' },
      status: 413,
      code: 'PayloadTooLarge',
    },
    {
      name: 'password too short',
      method: 'post',
      path: '/v1/users',
      body: () => ({ name: 'u1', password: 'short', projectId: projectA, role: 'member' }),
      status: 400,
      code: 'ValidationFailed',
    },
    {
      name: 'password with a NUL',
      method: 'post',
      path: '/v1/users',
      body: () => ({ name: 'u2', password: 'long enough\u0000password', projectId: projectA, role: 'member' }),
      status: 400,
      code: 'ValidationFailed',
    },
    {
      name: 'unknown role',
      method: 'post',
      path: '/v1/users',
      body: () => ({ name: 'u3', password: 'long enough password', projectId: projectA, role: 'root' }),
      status: 400,
      code: 'ValidationFailed',
    },
    {
      name: 'garbage project id',
      method: 'post',
      path: '/v1/users',
      body: { name: 'u4', password: 'long enough password', projectId: "'; DROP TABLE events; --", role: 'member' },
      status: 400,
      code: 'ValidationFailed',
    },
    {
      name: 'unknown project id',
      method: 'post',
      path: '/v1/users',
      body: { name: 'u5', password: 'long enough password', projectId: 'prj-00000000000000000000', role: 'member' },
      status: 404,
      code: 'ProjectNotFound',
    },
    { name: 'unknown project', method: 'get', path: '/v1/projects/prj-00000000000000000000', status: 404, code: 'ProjectNotFound' },
    { name: 'unknown user', method: 'get', path: '/v1/users/usr-nope', status: 404, code: 'UserNotFound' },
    { name: 'unknown access key', method: 'delete', path: '/v1/access-keys/AKNOPE', as: 'member', status: 404, code: 'AccessKeyNotFound' },
    { name: 'unknown token', method: 'delete', path: '/v1/auth/tokens/tok-00000000000000000000', status: 404, code: 'TokenNotFound' },
    { name: 'another project by a member', method: 'get', path: () => `/v1/projects/${projectB}`, as: 'member', status: 404, code: 'ProjectNotFound' },
    {
      name: 'patching another project by a member',
      method: 'patch',
      path: () => `/v1/projects/${projectB}`,
      body: { quotas: { vcpus: 1 } },
      as: 'member',
      status: 404,
      code: 'ProjectNotFound',
    },
    {
      name: 'a role in an unknown project',
      method: 'put',
      path: '/v1/users/usr-nope/roles/prj-00000000000000000000',
      body: { role: 'member' },
      status: 404,
      code: 'ProjectNotFound',
    },
    {
      name: 'creating a user as a member',
      method: 'post',
      path: '/v1/users',
      body: () => ({ name: 'u6', password: 'long enough password', projectId: projectB, role: 'admin' }),
      as: 'member',
      status: 403,
      code: 'Forbidden',
    },
    { name: 'writing as a reader', method: 'post', path: '/v1/access-keys', as: 'reader', status: 403, code: 'Forbidden' },
    { name: 'no credentials', method: 'post', path: '/v1/projects', body: { name: 'x9' }, as: 'none', status: 401, code: 'Unauthenticated' },
    {
      name: 'login with a wrong type',
      method: 'post',
      path: '/v1/auth/tokens',
      body: { username: ['admin'], password: 'x', project: 'admin' },
      as: 'none',
      status: 400,
      code: 'ValidationFailed',
    },
    { name: 'limit 0', method: 'get', path: '/v1/projects?limit=0', status: 400, code: 'ValidationFailed' },
    { name: 'limit 100000', method: 'get', path: '/v1/projects?limit=100000', status: 400, code: 'ValidationFailed' },
    { name: 'limit not a number', method: 'get', path: '/v1/projects?limit=ten', status: 400, code: 'ValidationFailed' },
    { name: 'unknown query parameter', method: 'get', path: '/v1/projects?sort=name', status: 400, code: 'ValidationFailed' },
    { name: 'negative event position', method: 'get', path: '/v1/events?after=-1', status: 400, code: 'ValidationFailed' },
    { name: 'event type with SQL', method: 'get', path: "/v1/events?type=X'%20OR%201=1", status: 400, code: 'ValidationFailed' },
    {
      name: 'Idempotency-Key of 300 characters',
      method: 'post',
      path: '/v1/projects',
      body: { name: 'x10' },
      headers: { 'Idempotency-Key': 'k'.repeat(300) },
      status: 400,
      code: 'InvalidIdempotencyKey',
    },
    { name: 'unknown route', method: 'get', path: '/v1/nothing-here', status: 404, code: 'NotFound' },
    { name: 'CIDR garbage', method: 'post', path: '/v1/networks', body: { name: 'n', cidr: 'garbage' }, status: 400, code: 'ValidationFailed' },
    { name: 'CIDR too large', method: 'post', path: '/v1/networks', body: { name: 'n', cidr: '10.0.0.0/8' }, status: 400, code: 'InvalidCidr' },
    { name: 'CIDR with octets over 255', method: 'post', path: '/v1/networks', body: { name: 'n', cidr: '10.0.300.0/24' }, status: 400, code: 'InvalidCidr' },
    {
      name: 'gateway outside the CIDR',
      method: 'post',
      path: '/v1/networks',
      body: { name: 'n', cidr: '10.0.0.0/24', gateway: '10.0.1.1' },
      status: 400,
      code: 'InvalidGateway',
    },
    {
      name: 'VLAN out of range',
      method: 'post',
      path: '/v1/networks',
      body: { name: 'n', cidr: '10.0.0.0/24', vlan: 5000 },
      status: 400,
      code: 'ValidationFailed',
    },
    { name: 'unknown network', method: 'get', path: '/v1/networks/net-00000000000000000000', status: 404, code: 'NetworkNotFound' },
    {
      name: 'flavor vcpus as a string',
      method: 'post',
      path: '/v1/flavors',
      body: { name: 'f', vcpus: '1', ramMiB: 256, diskGiB: 1 },
      status: 400,
      code: 'ValidationFailed',
    },
    {
      name: 'flavor with 0 vcpus',
      method: 'post',
      path: '/v1/flavors',
      body: { name: 'f', vcpus: 0, ramMiB: 256, diskGiB: 1 },
      status: 400,
      code: 'ValidationFailed',
    },
    { name: 'unknown flavor', method: 'get', path: '/v1/flavors/no-such-flavor', status: 404, code: 'FlavorNotFound' },
    {
      name: 'host with negative RAM',
      method: 'post',
      path: '/v1/hosts',
      body: { name: 'h', driver: 'simulated', vcpus: 2, ramMiB: -1, diskGiB: 1 },
      status: 400,
      code: 'ValidationFailed',
    },
    {
      name: 'host with a URI full of spaces',
      method: 'post',
      path: '/v1/hosts',
      body: { name: 'h', driver: 'libvirt', uri: 'qemu:///sys tem', vcpus: 2, ramMiB: 1024, diskGiB: 1 },
      status: 400,
      code: 'ValidationFailed',
    },
    {
      name: 'keypair that is not a key',
      method: 'post',
      path: '/v1/keypairs',
      body: { name: 'k', publicKey: 'ssh-ed25519 not-base64!!' },
      as: 'member',
      status: 400,
      code: 'InvalidPublicKey',
    },
  ];

  it.each(cases)('$name → $status $code, nothing appended', async (c) => {
    const head = await running.store.headPosition();
    const path = typeof c.path === 'function' ? c.path() : c.path;
    let req = running.http[c.method](path).set('X-Request-Id', `bad-${c.status}`);
    const as = c.as ?? 'admin';
    if (as !== 'none') req = req.set(bearer(tokens[as]));
    for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
    const body = typeof c.body === 'function' ? (c.body as () => unknown)() : c.body;
    if (typeof body === 'string') req = req.set('Content-Type', c.contentType ?? 'application/json').send(body);
    else if (body !== undefined) req = req.send(body as object);
    const response = await req;

    expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status: c.status, code: c.code });
    expect(response.body.error.requestId).toBe(`bad-${c.status}`);
    expect(response.headers['x-request-id']).toBe(`bad-${c.status}`);
    expect(typeof response.body.error.message).toBe('string');
    if (c.code === 'ValidationFailed') expect(response.body.error.details.length).toBeGreaterThan(0);
    expect(await running.store.headPosition()).toBe(head);
  });

  it('accepts unicode letters in names', async () => {
    const response = await running.http.post('/v1/projects').set(bearer(tokens.admin)).send({ name: 'Проект 東京' });
    expect(response.status).toBe(201);
    expect(response.body.name).toBe('Проект 東京');
  });
});
