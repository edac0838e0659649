import * as grpc from '@grpc/grpc-js';
import { Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { AccessKey, awsEnv, createAccessKey, ec2Endpoint } from '../support/aws-clients';
import { OrchestratorGrpcClient } from '../support/grpc-client';
import { pythonJson } from '../support/openstack-clients';
import { freePort } from '../support/processes';
import { describeWithAwsClients } from '../support/services';

const PASSWORD = 'long enough password';

/** Sends requests until one is refused; the refused answer (fails after `max` admitted). */
async function untilRefused<T extends { status: number }>(send: () => PromiseLike<T>, refused: number, max = 100): Promise<T> {
  for (let i = 0; i < max; i++) {
    const response = await send();
    if (response.status === refused) return response;
  }
  throw new Error(`no request of ${max} was refused with ${refused}`);
}

describe('rate limit per client address (embedded)', () => {
  let backing: Backing;
  let running: RunningApp;
  let grpcClient: OrchestratorGrpcClient;
  let admin: string;
  let key: AccessKey;

  beforeAll(async () => {
    const grpcPort = await freePort();
    // 20 at once, then one every 10 s: once spent, the bucket stays empty for the whole test.
    backing = await createBacking('embedded', { ORCH_RATE_LIMIT_ADDRESS: '0.1:20', ORCH_RATE_LIMIT_USER: 'off', ORCH_GRPC_PORT: String(grpcPort) });
    running = await startApp(backing);
    grpcClient = new OrchestratorGrpcClient(`127.0.0.1:${grpcPort}`);
    admin = await running.login('admin', 'bootstrap-password-for-tests', 'admin');
    key = await createAccessKey(running, admin);
  });

  afterAll(async () => {
    grpcClient?.close();
    await running?.close();
    await backing?.destroy();
  });

  it('admits the burst, then refuses with 429 and Retry-After; probes are never counted and a refused request changes nothing', async () => {
    for (let i = 0; i < 30; i++) expect((await running.http.get('/healthz')).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 30 }, () => running.http.get('/v1/flavors').set(bearer(admin))));
    const admitted = answers.filter((a) => a.status === 200).length;
    // 20 of the burst, less the login and the access key made before (and at most one token refilled meanwhile).
    expect(admitted).toBeGreaterThanOrEqual(17);
    expect(admitted).toBeLessThanOrEqual(19);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.body.error.code).toBe('RateLimited');
    expect(refused.body.error.requestId).toBe(refused.headers['x-request-id']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(10);
    expect(answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);

    const head = await running.store.headPosition();
    const post = await running.http.post('/v1/keypairs').set(bearer(admin)).send({ name: 'never-made' });
    expect(post.status).toBe(429);
    expect(await running.store.headPosition()).toBe(head);
    const metrics = (await running.http.get('/metrics')).text;
    expect(Number(/orch_rate_limited_total\{limit="address"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(12);
  });

  it("answers in each interface's own terms: Nova's overLimit, Keystone's and Neutron's errors, EC2's RequestLimitExceeded, gRPC's RESOURCE_EXHAUSTED", async () => {
    await untilRefused(() => running.http.get('/v1/flavors').set(bearer(admin)), 429);
    const nova = await running.http.get('/compute/v2.1/flavors').set('X-Auth-Token', admin);
    expect(nova.status).toBe(429);
    expect(nova.body.overLimit).toMatchObject({ code: 429, retryAfter: nova.headers['retry-after'] });
    const keystone = await running.http.post('/identity/v3/auth/tokens').send({});
    expect(keystone.status).toBe(429);
    expect(keystone.body.error).toMatchObject({ code: 429, title: 'Too Many Requests' });
    const neutron = await running.http.get('/network/v2.0/networks').set('X-Auth-Token', admin);
    expect(neutron.status).toBe(429);
    expect(neutron.body.NeutronError.type).toBe('RateLimited');
    const ec2 = await running.http.post('/ec2').type('form').send('Action=DescribeInstances&Version=2016-11-15');
    expect(ec2.status).toBe(503);
    expect(ec2.text).toContain('<Code>RequestLimitExceeded</Code>');

    // gRPC's peer may be another address string than HTTP's for the same client: spend its bucket too.
    let failure = null;
    for (let i = 0; i < 30 && !failure; i++) {
      failure = await grpcClient.call('Compute', 'ListFlavors', {}, admin).then(
        () => null,
        (f) => f,
      );
    }
    expect(failure).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED, errorCode: 'RateLimited' });
    expect(Number(failure.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  describeWithAwsClients('through boto3', () => {
    it('is RequestLimitExceeded to boto3, which knows it as throttling', async () => {
      await untilRefused(() => running.http.get('/v1/flavors').set(bearer(admin)), 429);
      const outcome = await pythonJson<{ code: string; status: number; throttle: boolean }>(
        `import json, boto3, botocore.config, botocore.exceptions, botocore.retries.standard
ec2 = boto3.client('ec2', endpoint_url='${ec2Endpoint(running)}', region_name='RegionOne',
                   aws_access_key_id='${key.accessKeyId}', aws_secret_access_key='${key.secretAccessKey}',
                   config=botocore.config.Config(retries={'total_max_attempts': 1}))
try:
    ec2.describe_instances()
    print(json.dumps({'code': 'no error', 'status': 200, 'throttle': False}))
except botocore.exceptions.ClientError as e:
    code = e.response['Error']['Code']
    throttling = botocore.retries.standard.ThrottledRetryableChecker._THROTTLED_ERROR_CODES
    print(json.dumps({'code': code, 'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'throttle': code in throttling}))`,
        awsEnv(key),
      );
      expect(outcome).toEqual({ code: 'RequestLimitExceeded', status: 503, throttle: true });
    });
  });
});

describe('rate limit per user (embedded)', () => {
  let backing: Backing;
  let running: RunningApp;
  let admin: string;
  let bob: string;

  beforeAll(async () => {
    backing = await createBacking('embedded', { ORCH_RATE_LIMIT_USER: '0.1:15', ORCH_RATE_LIMIT_ADDRESS: 'off' });
    running = await startApp(backing);
    admin = await running.login('admin', 'bootstrap-password-for-tests', 'admin');
    const projectId = (await running.http.get('/v1/projects').set(bearer(admin))).body.items[0].id;
    expect((await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'bob', password: PASSWORD, projectId, role: 'member' })).status).toBe(201);
    bob = await running.login('bob', PASSWORD, 'admin');
  });

  afterAll(async () => {
    await running?.close();
    await backing?.destroy();
  });

  it("refuses a user over the limit, with every token of theirs, while another user's requests go on", async () => {
    const refused = await untilRefused(() => running.http.get('/v1/instances').set(bearer(admin)), 429, 20);
    expect(refused.body.error.code).toBe('RateLimited');
    expect(refused.body.error.message).toContain('admin');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const secondToken = await running.login('admin', 'bootstrap-password-for-tests', 'admin');
    expect((await running.http.get('/v1/instances').set(bearer(secondToken))).status).toBe(429);
    for (let i = 0; i < 10; i++) expect((await running.http.get('/v1/instances').set(bearer(bob))).status).toBe(200);
  });
});

describe('failed logins (embedded)', () => {
  let backing: Backing;
  let running: RunningApp;
  let bobId: string;

  beforeAll(async () => {
    // 3 failures at once, then one every 2 s.
    backing = await createBacking('embedded', { ORCH_RATE_LIMIT_FAILED_LOGINS: '0.5:3' });
    running = await startApp(backing);
    const admin = await running.login('admin', 'bootstrap-password-for-tests', 'admin');
    const projectId = (await running.http.get('/v1/projects').set(bearer(admin))).body.items[0].id;
    for (const name of ['bob', 'carol']) {
      const made = await running.http.post('/v1/users').set(bearer(admin)).send({ name, password: PASSWORD, projectId, role: 'member' });
      expect(made.status).toBe(201);
      if (name === 'bob') bobId = made.body.id;
    }
  });

  afterAll(async () => {
    await running?.close();
    await backing?.destroy();
  });

  const login = (username: string, password: string) => running.http.post('/v1/auth/tokens').send({ username, password, project: 'admin' });

  it("slows the logins of a user whose password is being guessed, by name or by id, and no one else's; successes are not counted", async () => {
    for (let i = 0; i < 5; i++) expect((await login('carol', PASSWORD)).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await login('bob', 'wrong password guess')).status).toBe(401);
    const slowed = await login('bob', PASSWORD);
    expect(slowed.status).toBe(429);
    expect(slowed.body.error.code).toBe('RateLimited');
    const wait = Number(slowed.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(2);
    expect((await login('carol', PASSWORD)).status).toBe(201);
    expect((await login('nobody-such', 'whatever password')).status).toBe(401);

    const keystone = await running.http
      .post('/identity/v3/auth/tokens')
      .send({ auth: { identity: { methods: ['password'], password: { user: { id: bobId, password: PASSWORD } } } } });
    expect(keystone.status).toBe(429);
    expect(keystone.headers['retry-after']).toBeDefined();

    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
    expect((await login('bob', PASSWORD)).status).toBe(201);
  });
});
