import * as grpc from '@grpc/grpc-js';
import { ec2IdOf } from '../../src/interfaces/ec2/ec2-ids';
import { signedEc2Post } from '../bench/ec2-signer';
import { ADMIN_PASSWORD, Backing, RunningApp, createBacking, startApp } from '../support/app';
import { Api, api, prepareSimulatedCloud } from '../support/cluster-cloud';
import { Attempt, Call, Theirs, ec2Attempts, grpcAttempts, isNotFound, listings, openStackAttempts, restAttempts } from '../support/cross-project-table';
import { settled } from '../support/eventually';
import { GrpcFailure, GrpcMessage, OrchestratorGrpcClient } from '../support/grpc-client';
import { baseUrlOf } from '../support/openstack-clients';
import { freePort } from '../support/processes';
import { ed25519Key } from '../support/ssh-keys';

const PASSWORD = 'long enough password';
type Outcome = { status: number; text: string; grpcCode?: grpc.status };
type Caller = { token: string; key: { accessKeyId: string; secretAccessKey: string }; projectId: string };

/** Project A's resources of every kind, made by alice (a member of A), each settled. */
async function projectResources(alice: Api, projectId: string): Promise<Theirs> {
  const must = async (call: Promise<{ status: number; body: Record<string, unknown> }>, what: string) => {
    const response = await call;
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const done = (operationId: string) => settled(() => alice.get(`/v1/operations/${operationId}`).then((r) => r.body), operationId);
  const network = await must(alice.post('/v1/networks', { name: 'a-net', cidr: '10.61.0.0/24' }), 'network');
  const group = await must(alice.post('/v1/security-groups', { name: 'a-group' }), 'group');
  const withRule = await must(
    alice.post(`/v1/security-groups/${group.id}/rules`, { direction: 'ingress', protocol: 'tcp', portMin: 22, portMax: 22, cidr: '0.0.0.0/0' }),
    'rule',
  );
  await must(alice.post('/v1/keypairs', { name: 'a-key', publicKey: ed25519Key(61) }), 'key pair');
  const launch = await must(
    alice.post('/v1/instances', {
      name: 'a-vm',
      flavor: 'tiny',
      image: 'img',
      networks: [{ network: network.id }],
      keyName: 'a-key',
      securityGroups: [group.id],
    }),
    'launch',
  );
  expect((await done(launch.operation.id)).status).toBe('succeeded');
  const instance = (await alice.get(`/v1/instances/${launch.instances[0].id}`)).body;
  const volume = await must(alice.post('/v1/volumes', { name: 'a-vol', sizeGiB: 1 }), 'volume');
  await done(volume.operation.id);
  const snapshot = await must(alice.post(`/v1/volumes/${volume.volume.id}/snapshots`, { name: 'a-snap' }), 'snapshot');
  await done(snapshot.operation.id);
  const floatingIp = await must(alice.post('/v1/floating-ips', {}), 'floating ip');
  const router = await must(alice.post('/v1/routers', { name: 'a-router' }), 'router');
  return {
    projectId,
    instance: instance.id,
    operation: launch.operation.id,
    network: network.id,
    subnet: network.subnets[0].subnetId ?? network.subnets[0].id,
    port: instance.addresses[0].portId,
    securityGroup: group.id,
    rule: (withRule.rules as Array<{ ruleId: string; portMin: number | null }>).find((r) => r.portMin === 22)!.ruleId,
    floatingIp: floatingIp.id,
    router: router.id,
    volume: volume.volume.id,
    snapshot: snapshot.snapshot?.id ?? snapshot.id,
    keyPair: 'a-key',
  };
}

/**
 * Every resource kind × every interface (REST, gRPC, OpenStack, EC2) × read, list, update, delete,
 * action: project B's member gets the interface's not-found for project A's resources, never sees
 * them in a list or in the event streams, and appends nothing by trying.
 */
describe('Cross-project isolation matrix (embedded)', () => {
  let backing: Backing;
  let running: RunningApp;
  let url: string;
  let grpcClient: OrchestratorGrpcClient;
  let theirs: Theirs;
  let alice: Caller;
  let bob: Caller;
  let theirIds: string[];

  beforeAll(async () => {
    const grpcPort = await freePort();
    backing = await createBacking('embedded', { ORCH_GRPC_PORT: String(grpcPort) });
    running = await startApp(backing);
    url = baseUrlOf(running);
    grpcClient = new OrchestratorGrpcClient(`127.0.0.1:${grpcPort}`);
    const admin = api(url, await running.login('admin', ADMIN_PASSWORD, 'admin'));
    await prepareSimulatedCloud(admin, 2, '10.60.0.0/24');
    const callers: Caller[] = [];
    for (const [user, project] of [
      ['alice', 'project-a'],
      ['bob', 'project-b'],
    ]) {
      const projectId = (await admin.post('/v1/projects', { name: project })).body.id;
      expect((await admin.post('/v1/users', { name: user, password: PASSWORD, projectId, role: 'member' })).status).toBe(201);
      const token = await running.login(user, PASSWORD, project);
      const key = (await api(url, token).post('/v1/access-keys', {})).body;
      callers.push({ token, key, projectId });
    }
    [alice, bob] = callers;
    theirs = await projectResources(api(url, alice.token), alice.projectId);
    const { projectId: _project, keyPair: _name, ...ids } = theirs;
    void _project;
    void _name;
    theirIds = Object.values(ids);
    expect(Object.entries(theirs).filter(([, v]) => typeof v !== 'string' || v === '')).toEqual([]);
  }, 180_000);

  afterAll(async () => {
    grpcClient?.close();
    await running?.close();
    await backing?.destroy();
  });

  async function send(call: Call, caller: Caller): Promise<Outcome> {
    if ('grpc' in call) {
      const { service, method, request } = call.grpc;
      return grpcClient.call<GrpcMessage>(service, method, request, caller.token).then(
        (response) => ({ status: 0, text: JSON.stringify(response), grpcCode: grpc.status.OK }),
        (failure: GrpcFailure) => ({ status: 0, text: `${failure.errorCode}: ${failure.details}`, grpcCode: failure.code }),
      );
    }
    if ('ec2' in call) {
      const form = new URLSearchParams({ ...call.ec2, Version: '2016-11-15' }).toString();
      const response = await fetch(`${url}/ec2`, { method: 'POST', body: form, headers: signedEc2Post(`${url}/ec2`, form, caller.key) });
      return { status: response.status, text: await response.text() };
    }
    const { method, path, body } = call.rest;
    const headers: Record<string, string> = { authorization: `Bearer ${caller.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, text: await response.text() };
  }

  const describeAttempt = (a: Attempt) => `${a.interface} ${a.kind} ${a.op} ${JSON.stringify(a.call)}`;

  it("answers every attempt on another project's resource with the interface's not-found, and appends nothing", async () => {
    const from = await running.store.headPosition();
    const attempts = [...restAttempts(theirs), ...grpcAttempts(theirs), ...openStackAttempts(theirs, bob.projectId), ...ec2Attempts(theirs)];
    const leaks: string[] = [];
    for (const attempt of attempts) {
      const outcome = await send(attempt.call, bob);
      if (!isNotFound(attempt, outcome)) leaks.push(`${describeAttempt(attempt)} -> ${outcome.status || outcome.grpcCode} ${outcome.text.slice(0, 200)}`);
    }
    // EC2's DeleteKeyPair succeeds for a name the caller does not have: only its effect is checked.
    expect((await send({ ec2: { Action: 'DeleteKeyPair', KeyName: theirs.keyPair } }, bob)).status).toBe(200);
    const table: Record<string, number> = {};
    for (const a of attempts) table[`${a.interface}`] = (table[a.interface] ?? 0) + 1;
    process.stdout.write(`CROSS-PROJECT ${JSON.stringify({ attempts: attempts.length, byInterface: table, leaks: leaks.length })}\n`);
    expect(leaks).toEqual([]);

    const appended = await running.store.readAll(from, 10_000);
    const bobs = (await api(url).post('/v1/auth/tokens', { username: 'bob', password: PASSWORD, project: 'project-b' })).body.user.id as string;
    expect(bobs).toMatch(/^usr-/);
    expect(appended.filter((e) => e.metadata.principal === bobs).map((e) => e.type)).toEqual([]);

    // Everything of A's is as it was: alice still sees each resource, in the state it had.
    const as = api(url, alice.token);
    expect((await as.get(`/v1/instances/${theirs.instance}`)).body.state).toBe('active');
    for (const path of [
      `/v1/volumes/${theirs.volume}`,
      `/v1/networks/${theirs.network}`,
      `/v1/floating-ips/${theirs.floatingIp}`,
      `/v1/routers/${theirs.router}`,
      '/v1/keypairs/a-key',
    ]) {
      expect([path, (await as.get(path)).status]).toEqual([path, 200]);
    }
  });

  it('lists none of them on any interface, and the positive control lists them for their owner', async () => {
    const mentions = (text: string) => theirIds.filter((id) => text.includes(id) || text.includes(ec2Form(id)));
    for (const call of listings(bob.projectId)) {
      const outcome = await send(call, bob);
      expect([JSON.stringify(call), outcome.status === 200 || outcome.grpcCode === grpc.status.OK]).toEqual([JSON.stringify(call), true]);
      expect([JSON.stringify(call), mentions(outcome.text)]).toEqual([JSON.stringify(call), []]);
    }
    const seenByOwner = new Set<string>();
    for (const call of listings(alice.projectId)) mentions((await send(call, alice)).text).forEach((id) => seenByOwner.add(id));
    expect(theirIds.filter((id) => !seenByOwner.has(id) && id !== theirs.operation && id !== theirs.rule)).toEqual([]);
  });

  it('streams none of their events over SSE or WatchEvents, while their owner sees them live', async () => {
    const sse = (caller: Caller) => {
      const abort = new AbortController();
      const text = fetch(`${url}/v1/events/stream`, { headers: { authorization: `Bearer ${caller.token}` }, signal: abort.signal }).then(async (response) => {
        let all = '';
        const reader = response.body!.getReader();
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            all += Buffer.from(value).toString('utf8');
          }
        } catch {
          // aborted: the stream ends here
        }
        return all;
      });
      return { stop: () => abort.abort(), text };
    };
    const watch = (caller: Caller) => {
      const events: GrpcMessage[] = [];
      const stream = grpcClient.stream('Events', 'WatchEvents', { after: 0 }, caller.token);
      stream.on('data', (e) => events.push(e));
      stream.on('error', () => undefined);
      return { stop: () => stream.cancel(), events };
    };
    const [bobSse, aliceSse, bobWatch, aliceWatch] = [sse(bob), sse(alice), watch(bob), watch(alice)];
    await new Promise((r) => setTimeout(r, 300));
    expect((await api(url, alice.token).patch(`/v1/volumes/${theirs.volume}`, { name: 'a-vol-renamed' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    [bobSse, aliceSse, bobWatch, aliceWatch].forEach((s) => s.stop());
    const [bobText, aliceText] = await Promise.all([bobSse.text, aliceSse.text]);
    expect(theirIds.filter((id) => bobText.includes(id))).toEqual([]);
    expect(theirIds.filter((id) => JSON.stringify(bobWatch.events).includes(id))).toEqual([]);
    expect(aliceText).toContain('a-vol-renamed');
    expect(JSON.stringify(aliceWatch.events)).toContain('a-vol-renamed');
  });
});

/** An id as EC2 writes it, whatever its kind (the tail after the prefix). */
function ec2Form(id: string): string {
  return ec2IdOf('instance', id).slice(2);
}
