import { Client } from 'pg';
import request from 'supertest';
import { ADMIN_PASSWORD } from '../support/app';
import { ClusterBacking, Orchestrator, createClusterBacking, startOrchestrator } from '../support/cluster';
import { Api, InstanceView, api, listAll, prepareSimulatedCloud } from '../support/cluster-cloud';
import { eventually } from '../support/eventually';
import { openStackEnv, openstackJson, pythonJson } from '../support/openstack-clients';
import { createTestDatabase, PG_ADMIN_URL } from '../support/postgres';
import { freePort } from '../support/processes';
import { describeWithPostgresAndOpenStackClients } from '../support/services';
import { TcpCut, tcpRelay } from '../support/tcp-cut';

const login = async (o: Orchestrator, username: string, password: string, project = 'admin') =>
  api(o.url).post('/v1/auth/tokens', { username, password, project });

const launch = (client: Api, name: string) => client.post('/v1/instances', { name, flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] });

async function countEvents(url: string, sql: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

/**
 * Two regions, each its own deployment (process, database, simulated hosts), sharing one identity
 * database reached through a relay the test can cut: the real `openstack` CLI and novaclient pick
 * region two from the catalog region one's Keystone gives them.
 */
describeWithPostgresAndOpenStackClients('Regions: one identity, a deployment per region (real processes)', () => {
  let identity: { url: string; drop: () => Promise<void> };
  let relay: TcpCut;
  let one: ClusterBacking;
  let two: ClusterBacking;
  let r1: Orchestrator;
  let r2: Orchestrator;
  let token: string;
  let projectId: string;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    identity = await createTestDatabase('orch_identity');
    const pg = new URL(PG_ADMIN_URL);
    relay = await tcpRelay(Number(pg.port || 5432), pg.hostname);
    const identityUrl = identity.url.replace(`@${pg.host}/`, `@127.0.0.1:${relay.port}/`);
    const [p1, p2] = [await freePort(), await freePort()];
    const common = { ORCH_IDENTITY_DATABASE_URL: identityUrl, ORCH_REGIONS: `RegionOne=http://127.0.0.1:${p1},RegionTwo=http://127.0.0.1:${p2}` };
    one = await createClusterBacking({ ...common, ORCH_REGION: 'RegionOne' });
    two = await createClusterBacking({ ...common, ORCH_REGION: 'RegionTwo' });
    r1 = await startOrchestrator(one, {}, p1);
    r2 = await startOrchestrator(two, {}, p2);
    token = (await login(r1, 'admin', ADMIN_PASSWORD)).body.token;
    await prepareSimulatedCloud(api(r1.url, token), 2);
    await prepareSimulatedCloud(api(r2.url, token), 2); // a token of region one, used in region two
    projectId = (await api(r1.url, token).get('/v1/projects')).body.items[0].id;
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(`REGIONS ${JSON.stringify(figures)}\n`);
    await Promise.all([r1, r2].filter(Boolean).map((o) => o.stop('SIGKILL')));
    await relay?.close();
    await Promise.all([one, two].filter(Boolean).map((b) => b.destroy()));
    await identity?.drop();
  });

  it('has one identity: bootstrapped once, a user made in one region logs in in the other, and tokens work everywhere', async () => {
    expect(await countEvents(identity.url, `SELECT count(*) AS n FROM events WHERE type = 'UserRegistered'`)).toBe(1);
    // Region two holds the admin only as a copy of what region one recorded.
    const copies = `SELECT count(*) AS n FROM events WHERE type = 'UserRegistered' AND metadata::jsonb->>'region' = 'RegionOne'`;
    expect(await countEvents(two.env.ORCH_DATABASE_URL as string, copies)).toBe(1);

    const created = await api(r2.url, token).post('/v1/users', { name: 'alice', password: 'long enough password', projectId, role: 'member' });
    expect(created.status).toBe(201);
    const alice = await login(r1, 'alice', 'long enough password');
    expect(alice.status).toBe(201);
    const firstUse = Date.now();
    const inTwo = await api(r2.url, alice.body.token).get(`/v1/projects/${projectId}`);
    figures.tokenFirstUseInOtherRegionMs = Date.now() - firstUse;
    expect(inTwo.status).toBe(200);
    expect(inTwo.headers['x-region']).toBe('RegionTwo');
    expect((await api(r1.url, alice.body.token).get(`/v1/projects/${projectId}`)).headers['x-region']).toBe('RegionOne');
    // Without anyone asking, region one's copy follows what region two records (NOTIFY on the identity database).
    const bob = await api(r2.url, token).post('/v1/users', { name: 'bob', password: 'long enough password', projectId, role: 'member' });
    const madeAt = Date.now();
    await eventually(
      async () => countEvents(one.env.ORCH_DATABASE_URL as string, `SELECT count(*) AS n FROM events WHERE stream = 'user-${bob.body.id}'`),
      (n) => n > 0,
      'region one to hold its copy of a user region two made',
      5_000,
      5,
    );
    figures.identityCopiedToOtherRegionMs = Date.now() - madeAt;
    // A token revoked in one region is refused in the other once its copy has the revocation.
    const doomed = (await login(r1, 'alice', 'long enough password')).body.token as string;
    expect((await api(r2.url, doomed).get('/v1/flavors')).status).toBe(200);
    expect((await request(r1.url).delete('/v1/auth/tokens').set('Authorization', `Bearer ${doomed}`)).status).toBe(204);
    const revokedAt = Date.now();
    await eventually(
      async () => (await api(r2.url, doomed).get('/v1/flavors')).status,
      (status) => status === 401,
      'region two to refuse a token revoked in region one',
      5_000,
      5,
    );
    figures.revocationReachedOtherRegionMs = Date.now() - revokedAt;
    // A name is unique across regions: the identity store decides.
    expect((await api(r1.url, token).post('/v1/users', { name: 'alice', password: 'long enough password', projectId, role: 'member' })).status).toBe(409);
  });

  it('keeps quotas per region', async () => {
    const admin2 = api(r2.url, token);
    expect((await admin2.patch(`/v1/projects/${projectId}`, { quotas: { instances: 1 } })).status).toBe(200);
    expect((await launch(admin2, 'q-two-a')).status).toBe(202);
    const refused = await launch(admin2, 'q-two-b');
    expect([refused.status, refused.body.error?.code]).toEqual([422, 'QuotaExceeded']);
    const admin1 = api(r1.url, token);
    expect([(await launch(admin1, 'q-one-a')).status, (await launch(admin1, 'q-one-b')).status]).toEqual([202, 202]);
    const usage = async (o: Orchestrator) => (await api(o.url, token).get(`/v1/projects/${projectId}/usage`)).body.instances;
    expect(await usage(r2)).toEqual({ limit: 1, used: 1 });
    expect(await usage(r1)).toEqual({ limit: -1, used: 2 });
    await admin2.patch(`/v1/projects/${projectId}`, { quotas: { instances: -1 } });
  });

  it('lets the openstack CLI and novaclient, logged in at either region, boot and list servers in each region only there', async () => {
    const admin = { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' };
    const alice = { username: 'alice', password: 'long enough password', project: 'admin' };
    // Each server is booted through the other region's Keystone: the catalog leads the client across.
    const boot = (keystone: Orchestrator, region: string, name: string) =>
      openstackJson<{ id: string; status: string }>(
        openStackEnv(keystone.url, admin, region),
        'server',
        'create',
        '--flavor',
        'tiny',
        '--image',
        'img',
        '--network',
        'net',
        '--wait',
        name,
      );
    const inTwo = await boot(r1, 'RegionTwo', 'cli-in-two');
    const inOne = await boot(r2, 'RegionOne', 'cli-in-one');
    expect([inOne.status, inTwo.status]).toEqual(['ACTIVE', 'ACTIVE']);

    // Alice, made once (in region two), lists through either Keystone.
    const names = async (keystone: Orchestrator, region: string) =>
      (await openstackJson<Array<{ Name: string }>>(openStackEnv(keystone.url, alice, region), 'server', 'list')).map((s) => s.Name);
    const seen = { two: await names(r1, 'RegionTwo'), one: await names(r2, 'RegionOne') };
    expect([seen.two.includes('cli-in-two'), seen.two.includes('cli-in-one')]).toEqual([true, false]);
    expect([seen.one.includes('cli-in-one'), seen.one.includes('cli-in-two')]).toEqual([true, false]);
    const ids = async (o: Orchestrator) => (await listAll<InstanceView>(api(o.url, token), '/v1/instances')).map((i) => i.id);
    expect([(await ids(r2)).includes(inTwo.id), (await ids(r1)).includes(inTwo.id)]).toEqual([true, false]);

    const novaclient = (keystone: Orchestrator, region: string) =>
      pythonJson<string[]>(`
import json
from keystoneauth1 import session
from keystoneauth1.identity import v3
from novaclient import client
auth = v3.Password(auth_url='${keystone.url}/identity/v3', username='alice', password='long enough password', project_name='admin', user_domain_name='Default', project_domain_name='Default')
nova = client.Client('2.1', session=session.Session(auth=auth), region_name='${region}')
print(json.dumps([s.name for s in nova.servers.list()]))
`);
    const viaNova = { two: await novaclient(r1, 'RegionTwo'), one: await novaclient(r2, 'RegionOne') };
    expect([viaNova.two.includes('cli-in-two'), viaNova.two.includes('cli-in-one')]).toEqual([true, false]);
    expect([viaNova.one.includes('cli-in-one'), viaNova.one.includes('cli-in-two')]).toEqual([true, false]);
    const regions = await openstackJson<Array<{ Region: string }>>(openStackEnv(r2.url, alice, 'RegionTwo'), 'region', 'list');
    expect(regions.map((r) => r.Region).sort()).toEqual(['RegionOne', 'RegionTwo']);
  });

  it('keeps a region serving its tokens and launching while the identity database is cut off, and takes identity writes again once it is back', async () => {
    await relay.cut();
    await expect(countEvents(identity.url.replace(/@[^/]+\//, `@127.0.0.1:${relay.port}/`), 'SELECT 1 AS n')).rejects.toThrow();
    const admin1 = api(r1.url, token);
    expect((await admin1.get('/v1/instances')).status).toBe(200);
    const launched = await launch(admin1, 'while-identity-is-away');
    expect(launched.status).toBe(202);
    const active = await eventually(
      () => listAll<InstanceView>(admin1, '/v1/instances'),
      (items) => items.some((i) => i.name === 'while-identity-is-away' && i.state === 'active'),
      'the launch made while identity was away to become active',
    );
    expect(active.length).toBeGreaterThan(0);
    const refusedLogin = await login(r1, 'alice', 'long enough password');
    expect([refusedLogin.status, refusedLogin.body.error?.code, refusedLogin.headers['retry-after']]).toEqual([503, 'IdentityUnavailable', '5']);

    await relay.restore();
    const back = await eventually(
      () => login(r1, 'alice', 'long enough password'),
      (r) => r.status === 201,
      'a login once the identity database is back',
    );
    expect((await api(r2.url, back.body.token).get('/v1/flavors')).status).toBe(200);
  });

  it('keeps one region working when the other is killed', async () => {
    await r2.stop('SIGKILL');
    expect(r2.child.signalCode).toBe('SIGKILL');
    const fresh = await login(r1, 'alice', 'long enough password');
    expect(fresh.status).toBe(201);
    const admin1 = api(r1.url, token);
    expect((await launch(admin1, 'after-two-died')).status).toBe(202);
    await eventually(
      () => listAll<InstanceView>(admin1, '/v1/instances'),
      (items) => items.some((i) => i.name === 'after-two-died' && i.state === 'active'),
      'a launch in region one after region two died to become active',
    );
  });
});

/** A deployment that ran alone becomes the first of two regions: its own identity seeds the shared one. */
describeWithPostgresAndOpenStackClients('Regions: a lone deployment becomes the first region (real processes)', () => {
  let identity: { url: string; drop: () => Promise<void> };
  const backings: ClusterBacking[] = [];
  const running: Orchestrator[] = [];

  afterAll(async () => {
    await Promise.all(running.map((o) => o.stop('SIGKILL')));
    await Promise.all(backings.map((b) => b.destroy()));
    await identity?.drop();
  });

  it('keeps its users and tokens, and a region added later knows them', async () => {
    identity = await createTestDatabase('orch_identity');
    const one = await createClusterBacking({ ORCH_REGION: 'RegionOne' });
    backings.push(one);
    const alone = await startOrchestrator(one);
    running.push(alone);
    const token = (await login(alone, 'admin', ADMIN_PASSWORD)).body.token as string;
    const projectId = (await api(alone.url, token).get('/v1/projects')).body.items[0].id as string;
    expect((await api(alone.url, token).post('/v1/users', { name: 'carol', password: 'long enough password', projectId, role: 'member' })).status).toBe(201);
    const carolsToken = (await login(alone, 'carol', 'long enough password')).body.token as string;
    await alone.stop('SIGTERM');

    const shared = { ORCH_IDENTITY_DATABASE_URL: identity.url };
    const r1 = await startOrchestrator(one, shared);
    running.push(r1);
    expect(r1.log.join('')).toContain('shared identity seeded');
    const two = await createClusterBacking({ ...shared, ORCH_REGION: 'RegionTwo' });
    backings.push(two);
    const r2 = await startOrchestrator(two);
    running.push(r2);

    expect((await api(r2.url, carolsToken).get(`/v1/projects/${projectId}`)).status).toBe(200);
    expect((await login(r2, 'carol', 'long enough password')).status).toBe(201);
    expect(await countEvents(identity.url, `SELECT count(*) AS n FROM events WHERE type = 'UserRegistered'`)).toBe(2); // admin and carol, once each
  });
});
