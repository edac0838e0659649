import { requestedEventsSince } from '../support/events';
import { status } from '@grpc/grpc-js';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually, settled } from '../support/eventually';
import { GrpcMessage, OrchestratorGrpcClient } from '../support/grpc-client';
import { freePort } from '../support/processes';
import { describeWithPostgres } from '../support/services';
import { ed25519Key } from '../support/ssh-keys';

for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`gRPC API beside REST (${store})`, () => {
    let backing: Backing;
    let running: RunningApp;
    let client: OrchestratorGrpcClient;
    let alice: string;
    let reader: string;
    let projectId: string;

    const call = (service: string, method: string, request: object = {}, token = alice) => client.call(service, method, request, token);
    const settle = (operationId: string) => settled(() => call('Compute', 'GetOperation', { id: operationId }), operationId);

    beforeAll(async () => {
      const port = await freePort();
      backing = await createBacking(store, { ORCH_GRPC_PORT: String(port) });
      running = await startApp(backing);
      client = new OrchestratorGrpcClient(`127.0.0.1:${port}`);
      const admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      const asAdmin = (path: string, body: object) => running.http.post(path).set(bearer(admin)).send(body);
      projectId = (await asAdmin('/v1/projects', { name: 'g', quotas: { instances: 3, vcpus: 8, ramMiB: 8192, volumes: 2, volumeGiB: 20 } })).body.id;
      await asAdmin('/v1/users', { name: 'alice', password: 'long enough password', projectId, role: 'member' });
      await asAdmin('/v1/users', { name: 'rita', password: 'long enough password', projectId, role: 'reader' });
      await asAdmin('/v1/flavors', { name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
      await asAdmin('/v1/images', { name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
      await asAdmin('/v1/hosts', { name: 'h', driver: 'simulated', vcpus: 16, ramMiB: 16384, diskGiB: 200 });
      // Tokens over gRPC itself.
      alice = (await client.call('Identity', 'IssueToken', { username: 'alice', password: 'long enough password', project: 'g' })).token;
      reader = (await client.call('Identity', 'IssueToken', { username: 'rita', password: 'long enough password', project: 'g' })).token;
    });

    afterAll(async () => {
      client?.close();
      await running?.close();
      await backing?.destroy();
    });

    it('issues tokens, refusing a wrong password as REST does', async () => {
      const issued = await client.call('Identity', 'IssueToken', { username: 'alice', password: 'long enough password', project: 'g' });
      expect(issued).toMatchObject({ token: expect.any(String), user: { name: 'alice' }, project: { id: projectId, name: 'g' }, roles: ['member'] });
      const wrong = await client.failure('Identity', 'IssueToken', { username: 'alice', password: 'not the password', project: 'g' });
      expect(wrong).toMatchObject({ code: status.UNAUTHENTICATED, errorCode: expect.any(String), requestId: expect.stringMatching(/^req-/) });
    });

    it('creates a network, launches instances on it, stops one and deletes them, all over gRPC', async () => {
      const network = await call('Network', 'CreateNetwork', { name: 'net', cidr: '10.9.0.0/24' });
      expect(network).toMatchObject({ id: expect.stringMatching(/^net-/), name: 'net', cidr: '10.9.0.0/24', gateway: '10.9.0.1', vlan: expect.any(Number) });
      expect((await call('Network', 'GetNetwork', { id: 'net' })).id).toBe(network.id);
      expect((await call('Network', 'ListNetworks', {})).items.map((n: { id: string }) => n.id)).toEqual([network.id]);

      const accepted = await call('Compute', 'CreateInstances', {
        name: 'vm',
        flavor: 'tiny',
        image: 'img',
        networks: [{ network: 'net' }],
        minCount: 2,
        maxCount: 2,
        metadata: { role: 'web' },
      });
      expect(accepted.operation).toMatchObject({ status: 'running', kind: 'launch' });
      expect(accepted.instances).toHaveLength(2);
      expect((await settle(accepted.operation.id)).status).toBe('succeeded');

      const [first, second] = accepted.instances.map((i: { id: string }) => i.id);
      const instance = await call('Compute', 'GetInstance', { id: first });
      expect(instance).toMatchObject({ id: first, state: 'active', projectId, flavor: { vcpus: 1, ramMiB: 256 }, addresses: [{ network: network.id }] });
      expect(instance.addresses[0].ip).toMatch(/^10\.9\.0\.\d+$/);
      // The same resource over REST and gRPC.
      await running.readModelsCaughtUp();
      const overRest = (await running.http.get(`/v1/instances/${first}`).set(bearer(alice))).body;
      expect(await call('Compute', 'GetInstance', { id: first })).toEqual(
        Object.fromEntries(Object.entries(overRest).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0))),
      );
      expect(await call('Compute', 'SetInstanceTags', { id: first, tags: ['blue', 'web'] })).toEqual({ metadata: { role: 'web' }, tags: ['blue', 'web'] });
      expect(await call('Compute', 'SetInstanceMetadata', { id: first, metadata: { tier: 'front' } })).toEqual({
        metadata: { tier: 'front' },
        tags: ['blue', 'web'],
      });
      await running.readModelsCaughtUp();
      expect((await running.http.get(`/v1/instances/${first}`).set(bearer(alice))).body).toMatchObject({ metadata: { tier: 'front' }, tags: ['blue', 'web'] });
      const listed = await call('Compute', 'ListInstances', { state: 'active', limit: 1 });
      expect(listed.items).toHaveLength(1);
      expect(listed.nextCursor).toEqual(expect.any(String));

      const stopped = await call('Compute', 'InstanceAction', { id: first, action: 'stop' });
      expect(stopped.instance.id).toBe(first);
      expect((await settle(stopped.operation.id)).status).toBe('succeeded');
      expect((await call('Compute', 'GetInstance', { id: first })).state).toBe('stopped');

      for (const id of [first, second]) expect((await settle((await call('Compute', 'DeleteInstance', { id })).operation.id)).status).toBe('succeeded');
      expect((await call('Compute', 'GetInstance', { id: first })).state).toBe('deleted');
      // Point in time: the instance as it was while it ran.
      const asOf = await call('Compute', 'GetInstance', { id: first, asOf: instance.updatedAt });
      expect(asOf.state).toBe('active');
      await call('Network', 'DeleteNetwork', { id: network.id });
      expect((await client.failure('Network', 'GetNetwork', { id: network.id }, alice)).code).toBe(status.NOT_FOUND);
    });

    it('creates, snapshots, attaches, detaches and deletes a volume', async () => {
      await call('Network', 'CreateNetwork', { name: 'vnet', cidr: '10.10.0.0/24' });
      const launched = await call('Compute', 'CreateInstances', { name: 'withdisk', flavor: 'tiny', image: 'img', networks: [{ network: 'vnet' }] });
      await settle(launched.operation.id);
      const instanceId = launched.instances[0].id;

      const created = await call('Storage', 'CreateVolume', { name: 'data', sizeGiB: 5 });
      expect(created.volume).toMatchObject({ id: expect.stringMatching(/^vol-/), status: 'creating' });
      const volumeId = created.volume.id;
      expect((await settle(created.operation.id)).status).toBe('succeeded');
      expect(await call('Storage', 'GetVolume', { id: volumeId })).toMatchObject({ status: 'available', sizeGiB: 5 });

      const taken = await call('Storage', 'CreateSnapshot', { volumeId, name: 'before' });
      expect(taken).toMatchObject({ operation: { kind: 'snapshot-create', status: 'running' }, snapshot: { volumeId, status: 'creating' } });
      const snapshotId = taken.snapshot.id;
      expect((await settle(taken.operation.id)).status).toBe('succeeded');
      expect(await call('Storage', 'GetSnapshot', { volumeId, snapshotId })).toMatchObject({
        id: snapshotId,
        volumeId,
        projectId,
        name: 'before',
        sizeGiB: 5,
        status: 'available',
      });
      expect((await call('Storage', 'ListSnapshots', { volumeId })).items.map((s: { id: string }) => s.id)).toEqual([snapshotId]);
      expect((await client.failure('Storage', 'DeleteVolume', { id: volumeId }, alice)).errorCode).toBe('VolumeHasSnapshots');
      expect((await client.failure('Storage', 'CreateSnapshot', { volumeId, name: '' }, alice)).code).toBe(status.INVALID_ARGUMENT);
      expect((await client.failure('Storage', 'CreateSnapshot', { volumeId, name: 'x' }, reader)).code).toBe(status.PERMISSION_DENIED);
      const removed = await call('Storage', 'DeleteSnapshot', { volumeId, snapshotId });
      expect(removed.operation.kind).toBe('snapshot-delete');
      expect((await settle(removed.operation.id)).status).toBe('succeeded');
      expect((await call('Storage', 'ListSnapshots', { volumeId })).items ?? []).toEqual([]);
      expect((await client.failure('Storage', 'GetSnapshot', { volumeId, snapshotId }, alice)).code).toBe(status.NOT_FOUND);

      expect((await settle((await call('Storage', 'AttachVolume', { id: volumeId, instanceId })).operation.id)).status).toBe('succeeded');
      expect(await call('Storage', 'GetVolume', { id: volumeId })).toMatchObject({ status: 'in-use', instanceId, device: 'vdb' });
      expect((await client.failure('Storage', 'DeleteVolume', { id: volumeId }, alice)).code).toBe(status.FAILED_PRECONDITION);
      expect((await settle((await call('Storage', 'DetachVolume', { id: volumeId })).operation.id)).status).toBe('succeeded');
      expect((await settle((await call('Storage', 'DeleteVolume', { id: volumeId })).operation.id)).status).toBe('succeeded');
      expect((await call('Storage', 'ListVolumes', {})).items.find((v: { id: string }) => v.id === volumeId)).toBeUndefined();
      expect((await settle((await call('Compute', 'DeleteInstance', { id: instanceId })).operation.id)).status).toBe('succeeded');
    });

    it('allocates a floating IP, associates it with an instance, disassociates and releases it', async () => {
      await call('Network', 'CreateNetwork', { name: 'fnet', cidr: '10.14.0.0/24' });
      const launched = await call('Compute', 'CreateInstances', { name: 'public', flavor: 'tiny', image: 'img', networks: [{ network: 'fnet' }] });
      await settle(launched.operation.id);
      const instanceId = launched.instances[0].id;

      const fip = await call('Network', 'AllocateFloatingIp', {});
      expect(fip).toMatchObject({ id: expect.stringMatching(/^fip-/), projectId, address: expect.stringMatching(/^198\.51\.100\.\d+$/) });
      expect(await call('Network', 'GetFloatingIp', { id: fip.id }, reader)).toEqual(fip);
      expect((await call('Network', 'ListFloatingIps', {})).items.map((f: { id: string }) => f.id)).toEqual([fip.id]);

      const associated = await call('Network', 'AssociateFloatingIp', { id: fip.id, instanceId });
      expect(associated).toMatchObject({ id: fip.id, instanceId, portId: expect.stringMatching(/^port-/), fixedIp: expect.stringMatching(/^10\.14\.0\./) });
      expect((await client.failure('Network', 'AssociateFloatingIp', { id: fip.id, instanceId: 'nope' }, alice)).code).toBe(status.INVALID_ARGUMENT);
      const disassociated = await call('Network', 'DisassociateFloatingIp', { id: fip.id });
      expect(disassociated.instanceId ?? null).toBeNull();
      await call('Network', 'ReleaseFloatingIp', { id: fip.id });
      expect((await client.failure('Network', 'GetFloatingIp', { id: fip.id }, alice)).code).toBe(status.NOT_FOUND);
      expect((await settle((await call('Compute', 'DeleteInstance', { id: instanceId })).operation.id)).status).toBe('succeeded');
    });

    it('creates a security group, adds and removes rules, and deletes it', async () => {
      const ssh = { direction: 'ingress', protocol: 'tcp', portMin: 22, portMax: 22, cidr: '0.0.0.0/0' };
      const group = await call('Network', 'CreateSecurityGroup', { name: 'web', rules: [ssh] });
      expect(group).toMatchObject({ id: expect.stringMatching(/^sg-/), projectId, name: 'web', rules: [{ ...ssh, ruleId: expect.any(String) }] });
      expect(await call('Network', 'GetSecurityGroup', { id: 'web' }, reader)).toEqual(group);
      expect((await call('Network', 'ListSecurityGroups', {})).items.map((g: { id: string }) => g.id)).toContain(group.id);

      const icmp = { direction: 'ingress', protocol: 'icmp', cidr: '10.0.0.0/8' };
      const added = await call('Network', 'AddSecurityGroupRule', { id: group.id, rule: icmp });
      expect(added.rules).toHaveLength(2);
      expect(await client.failure('Network', 'AddSecurityGroupRule', { id: group.id, rule: icmp }, alice)).toMatchObject({
        code: status.FAILED_PRECONDITION,
        errorCode: 'RuleExists',
      });
      const bad = await client.failure('Network', 'AddSecurityGroupRule', { id: group.id, rule: { ...icmp, protocol: 'bogus' } }, alice);
      expect(bad.code).toBe(status.INVALID_ARGUMENT);
      expect(bad.errorDetails).toEqual([expect.objectContaining({ field: 'protocol' })]);
      const icmpRule = (added.rules as Array<{ ruleId: string; protocol: string }>).find((rule) => rule.protocol === 'icmp');
      const removed = await call('Network', 'RemoveSecurityGroupRule', { id: group.id, ruleId: icmpRule?.ruleId });
      expect(removed.rules).toEqual(group.rules);

      await call('Network', 'DeleteSecurityGroup', { id: 'web' });
      expect((await client.failure('Network', 'GetSecurityGroup', { id: group.id }, alice)).code).toBe(status.NOT_FOUND);
    });

    it('reads the flavors and images, and imports, reads and deletes key pairs', async () => {
      const tiny = await call('Compute', 'GetFlavor', { id: 'tiny' }, reader);
      expect(tiny).toMatchObject({ id: expect.stringMatching(/^flv-/), name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
      expect((await call('Compute', 'ListFlavors', {})).items).toEqual([tiny]);
      const image = await call('Compute', 'GetImage', { id: 'img' });
      expect(image).toMatchObject({ id: expect.stringMatching(/^img-/), name: 'img', os: 'linux', source: 'x' });
      expect((await call('Compute', 'ListImages', { limit: 10 })).items).toEqual([image]);
      expect((await client.failure('Compute', 'GetFlavor', { id: 'huge' }, alice)).code).toBe(status.NOT_FOUND);

      const key = await call('Compute', 'ImportKeyPair', { name: 'laptop', publicKey: ed25519Key(3) });
      expect(key).toMatchObject({ name: 'laptop', projectId, publicKey: ed25519Key(3), fingerprint: expect.any(String) });
      expect(await call('Compute', 'GetKeyPair', { name: 'laptop' }, reader)).toEqual(key);
      expect((await call('Compute', 'ListKeyPairs', {})).items).toEqual([key]);
      expect((await client.failure('Compute', 'ImportKeyPair', { name: 'laptop', publicKey: ed25519Key(4) }, alice)).code).toBe(status.FAILED_PRECONDITION);
      expect((await client.failure('Compute', 'ImportKeyPair', { name: 'bad', publicKey: 'not a key at all, really' }, alice)).code).toBe(
        status.INVALID_ARGUMENT,
      );
      expect((await client.failure('Compute', 'ImportKeyPair', { name: 'r', publicKey: ed25519Key(5) }, reader)).code).toBe(status.PERMISSION_DENIED);
      await call('Compute', 'DeleteKeyPair', { name: 'laptop' });
      expect((await client.failure('Compute', 'GetKeyPair', { name: 'laptop' }, alice)).code).toBe(status.NOT_FOUND);
    });

    it('lets an admin manage projects, quotas, users and roles, and a member see only their own', async () => {
      const admin = (await client.call('Identity', 'IssueToken', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).token;
      const made = await call('Identity', 'CreateProject', { name: 'grpc-made', quotas: { instances: 2 } }, admin);
      expect(made).toMatchObject({ id: expect.stringMatching(/^prj-/), name: 'grpc-made', quotas: { instances: 2, vcpus: expect.any(Number) } });
      expect((await client.failure('Identity', 'CreateProject', { name: 'mine' }, alice)).code).toBe(status.PERMISSION_DENIED);
      expect((await client.failure('Identity', 'CreateProject', { name: 'bad name!' }, admin)).code).toBe(status.INVALID_ARGUMENT);
      expect(await call('Identity', 'GetProject', { id: made.id }, admin)).toEqual(made);
      expect((await client.failure('Identity', 'GetProject', { id: made.id }, alice)).code).toBe(status.NOT_FOUND);
      expect((await call('Identity', 'ListProjects', {}, alice)).items.map((p: { id: string }) => p.id)).toEqual([projectId]);
      expect((await call('Identity', 'ListProjects', { limit: 100 }, admin)).items.map((p: { id: string }) => p.id)).toContain(made.id);

      const raised = await call('Identity', 'UpdateProjectQuotas', { id: made.id, quotas: { vcpus: 4 } }, admin);
      expect(raised.quotas).toMatchObject({ instances: 2, vcpus: 4 });
      expect((await client.failure('Identity', 'UpdateProjectQuotas', { id: projectId, quotas: { vcpus: 99 } }, alice)).code).toBe(status.PERMISSION_DENIED);
      expect((await client.failure('Identity', 'UpdateProjectQuotas', { id: made.id, quotas: {} }, admin)).code).toBe(status.INVALID_ARGUMENT);
      expect(await call('Identity', 'GetProjectUsage', { id: projectId })).toMatchObject({ projectId, instances: { limit: 3 } });

      const gus = await call('Identity', 'CreateUser', { name: 'gus', password: 'long enough password', projectId: made.id, role: 'member' }, admin);
      expect(gus).toMatchObject({ id: expect.stringMatching(/^usr-/), name: 'gus', status: 'active', roles: [{ projectId: made.id, role: 'member' }] });
      expect((await client.failure('Identity', 'CreateUser', { name: 'eve', password: 'long enough password', projectId, role: 'admin' }, alice)).code).toBe(
        status.PERMISSION_DENIED,
      );
      const both = await call('Identity', 'AssignRole', { id: gus.id, projectId, role: 'reader' }, admin);
      expect(both.roles).toEqual(
        expect.arrayContaining([
          { projectId, role: 'reader' },
          { projectId: made.id, role: 'member' },
        ]),
      );
      expect((await call('Identity', 'ListUsers', {}, alice)).items.map((u: { name: string }) => u.name)).toContain('gus');
      expect((await client.failure('Identity', 'AssignRole', { id: gus.id, projectId: 'nope', role: 'reader' }, admin)).code).toBe(status.NOT_FOUND);
      expect((await client.failure('Identity', 'AssignRole', { id: gus.id, projectId, role: 'king' }, admin)).code).toBe(status.INVALID_ARGUMENT);
      const revoked = await call('Identity', 'RevokeRole', { id: gus.id, projectId }, admin);
      expect(revoked.roles).toEqual([{ projectId: made.id, role: 'member' }]);
      expect(await call('Identity', 'GetUser', { id: gus.id }, admin)).toEqual(revoked);
    });

    it('maps authentication, roles, validation and domain refusals to gRPC status codes, changing nothing', async () => {
      const head = await running.store.headPosition();
      const launch = { name: 'vm', flavor: 'tiny', image: 'img', networks: [{ network: 'nope' }] };

      expect((await client.failure('Compute', 'ListInstances', {})).code).toBe(status.UNAUTHENTICATED);
      expect((await client.failure('Compute', 'ListInstances', {}, 'not-a-token')).code).toBe(status.UNAUTHENTICATED);
      const denied = await client.failure('Compute', 'CreateInstances', launch, reader);
      expect(denied).toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'Forbidden' });

      const zero = await client.failure('Compute', 'CreateInstances', { ...launch, maxCount: 0 }, alice);
      expect(zero).toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'ValidationFailed' });
      expect(zero.errorDetails).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'maxCount' })]));
      const huge = await client.failure('Compute', 'CreateInstances', { ...launch, maxCount: 100000 }, alice);
      expect(huge.code).toBe(status.INVALID_ARGUMENT);
      const missing = await client.failure('Compute', 'CreateInstances', { name: 'vm' }, alice);
      expect(missing.errorDetails).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'flavor' }), expect.objectContaining({ field: 'networks' })]),
      );
      expect((await client.failure('Network', 'CreateNetwork', { name: 'bad', cidr: 'garbage' }, alice)).code).toBe(status.INVALID_ARGUMENT);
      expect((await client.failure('Compute', 'InstanceAction', { id: 'ins-00000000000000000000', action: 'explode' }, alice)).code).toBe(
        status.INVALID_ARGUMENT,
      );
      expect((await client.failure('Compute', 'GetInstance', { id: 'ins-00000000000000000000' }, alice)).code).toBe(status.NOT_FOUND);
      expect((await client.failure('Compute', 'GetInstance', { id: 'x', asOf: 'yesterday' }, alice)).code).toBe(status.INVALID_ARGUMENT);
      // A refusal REST answers 422 is a failed precondition here, with the same code and details.
      expect(await client.failure('Compute', 'CreateInstances', launch, alice)).toMatchObject({
        code: status.FAILED_PRECONDITION,
        errorCode: 'NetworkNotFound',
        errorDetails: [{ field: 'networks.0.network', message: 'unknown' }],
      });
      expect((await client.failure('Compute', 'CreateInstances', { ...launch, minCount: 4, maxCount: 4, networks: [] }, alice)).code).toBe(
        status.INVALID_ARGUMENT,
      );
      expect(await requestedEventsSince(running.store, head)).toEqual([]);

      // A request id given by the client comes back with the error.
      const traced = await client
        .call('Compute', 'GetInstance', { id: 'ins-00000000000000000000' }, alice, { 'x-request-id': 'trace-42' })
        .catch((failure: { requestId: string }) => failure);
      expect(traced).toMatchObject({ requestId: 'trace-42' });

      // The reader may read what the member wrote.
      const network = await call('Network', 'CreateNetwork', { name: 'readable', cidr: '10.13.0.0/24' });
      expect((await call('Network', 'GetNetwork', { id: 'readable' }, reader)).id).toBe(network.id);
    });

    it('refuses a launch over quota with RESOURCE_EXHAUSTED', async () => {
      await call('Network', 'CreateNetwork', { name: 'qnet', cidr: '10.11.0.0/24' });
      const over = await client.failure(
        'Compute',
        'CreateInstances',
        { name: 'many', flavor: 'tiny', image: 'img', networks: [{ network: 'qnet' }], minCount: 4, maxCount: 4 },
        alice,
      );
      expect(over).toMatchObject({ code: status.RESOURCE_EXHAUSTED, errorCode: 'QuotaExceeded' });
    });

    it('streams the log with WatchEvents: history from a position, then live events, filtered by type', async () => {
      const from = await running.store.headPosition();
      const received: GrpcMessage[] = [];
      const stream = client.stream('Events', 'WatchEvents', { after: from, types: ['NetworkCreated', 'NetworkDeleted'] }, alice);
      stream.on('data', (event) => received.push(event));
      const ended = new Promise<unknown>((resolve) => stream.on('error', resolve));

      const created = await call('Network', 'CreateNetwork', { name: 'watched', cidr: '10.12.0.0/24' });
      await call('Network', 'DeleteNetwork', { id: created.id });
      await eventually(
        async () => received.length,
        (n) => n >= 2,
        'two network events',
      );
      expect(received.map((e) => e.type)).toEqual(['NetworkCreated', 'NetworkDeleted']);
      expect(received[0]).toMatchObject({ stream: expect.stringContaining(created.id), metadata: { projectId } });
      expect(received[0].position).toBeGreaterThan(from);
      expect(JSON.parse(received[0].dataJson)).toMatchObject({ subnets: [expect.objectContaining({ cidr: '10.12.0.0/24' })] });
      stream.cancel();
      expect(await ended).toMatchObject({ code: status.CANCELLED });

      // Resuming from the first event's position gives the second again, and nothing of other types.
      const resumed: GrpcMessage[] = [];
      const again = client.stream('Events', 'WatchEvents', { after: received[0].position, types: ['NetworkCreated', 'NetworkDeleted'] }, alice);
      again.on('data', (event) => resumed.push(event));
      again.on('error', () => undefined);
      await eventually(
        async () => resumed.length,
        (n) => n >= 1,
        'resumed stream',
      );
      expect(resumed[0].id).toBe(received[1].id);
      again.cancel();

      const refused = client.stream('Events', 'WatchEvents', { types: ['not a type'] }, alice);
      const error = await new Promise<{ code: number }>((resolve) => refused.on('error', resolve));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
    });
  });
}
