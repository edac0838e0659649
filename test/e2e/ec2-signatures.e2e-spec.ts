import { bearer } from '../support/app';
import { AccessKey, boto3Ec2, createAccessKey, ec2Endpoint } from '../support/aws-clients';
import { requestedEventsSince } from '../support/events';
import { openStackCloud } from '../support/openstack-cloud';
import { pythonJson } from '../support/openstack-clients';
import { describeWithAwsClients } from '../support/services';
import { Ec2PortServer } from '../../src/interfaces/ec2/ec2-port.server';

/** Python that signs a request with botocore's own SigV4 signer, then sends it (maybe altered) with urllib: `send(...)` answers [status, code]. */
const rawSigner = (endpoint: string) => `
import datetime, re, urllib.request, urllib.error
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
import botocore.auth

def answer(request):
    try:
        with urllib.request.urlopen(request) as r:
            return [r.status, 'ok']
    except urllib.error.HTTPError as e:
        body = e.read().decode()
        return [e.code, re.search('<Code>(.*?)</Code>', body).group(1)]

def send(key, secret, body, altered=None, minutes_ago=0, query=False, region='RegionOne'):
    class Then(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return datetime.datetime.utcnow() - datetime.timedelta(minutes=minutes_ago)
    real = botocore.auth.datetime
    botocore.auth.datetime = type('M', (), {'datetime': Then})
    try:
        if query:
            request = AWSRequest(method='GET', url='${endpoint}?' + body)
            SigV4QueryAuth(Credentials(key, secret), 'ec2', region, expires=300).add_auth(request)
            prepared = request.prepare()
            return answer(urllib.request.Request(prepared.url, method='GET'))
        request = AWSRequest(method='POST', url='${endpoint}', data=body, headers={'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'})
        SigV4Auth(Credentials(key, secret), 'ec2', region).add_auth(request)
        prepared = request.prepare()
        sent = (altered if altered is not None else body).encode()
        headers = {k: v for k, v in prepared.headers.items() if k.lower() != 'content-length'}  # urllib counts what is sent
        return answer(urllib.request.Request(prepared.url, data=sent, headers=headers, method='POST'))
    finally:
        botocore.auth.datetime = real
`;

describeWithAwsClients('EC2 API signatures', () => {
  const cloud = openStackCloud('embedded', { ORCH_EC2_PORT: '0' });
  let alice: AccessKey;
  let bob: AccessKey;
  let endpoint: string;

  beforeAll(async () => {
    endpoint = ec2Endpoint(cloud.running);
    alice = await createAccessKey(cloud.running, cloud.alice);
    const http = cloud.running.http;
    const other = await http.post('/v1/projects').set(bearer(cloud.admin)).send({ name: 'other' }).expect(201);
    await http
      .post('/v1/users')
      .set(bearer(cloud.admin))
      .send({ name: 'bob', password: 'bob long password', projectId: other.body.id, role: 'member' })
      .expect(201);
    bob = await createAccessKey(cloud.running, await cloud.running.login('bob', 'bob long password', 'other'));
  });

  it('takes only a valid, fresh signature of the body sent by a known key; refusals change nothing', async () => {
    const { instanceId } = await pythonJson<{ instanceId: string }>(`${boto3Ec2(endpoint, alice)}
image = ec2.describe_images()['Images'][0]['ImageId']
print(json.dumps({'instanceId': ec2.run_instances(ImageId=image, InstanceType='m1.small', MinCount=1, MaxCount=1)['Instances'][0]['InstanceId']}))
`);
    await cloud.running.readModelsCaughtUp();
    const head = await cloud.running.store.headPosition();
    const stop = `Action=StopInstances&Version=2016-11-15&InstanceId.1=${instanceId}`;
    const describe = `Action=DescribeInstances&Version=2016-11-15&InstanceId.1=${instanceId}`;
    const results = await pythonJson<Record<string, [number, string]>>(`${rawSigner(endpoint)}
import json
a, s = '${alice.accessKeyId}', '${alice.secretAccessKey}'
print(json.dumps({
  'valid': send(a, s, '${describe}'),
  'presigned': send(a, s, '${describe}', query=True),
  'otherRegion': send(a, s, '${describe}', region='us-east-1'),
  'wrongSecret': send(a, s[:-1] + ('x' if s[-1] != 'x' else 'y'), '${stop}'),
  'unknownKey': send('AKNOSUCHKEY000000000', s, '${stop}'),
  'bodyAltered': send(a, s, '${describe}', altered='${stop}'),
  'twentyMinutesOld': send(a, s, '${stop}', minutes_ago=20),
  'tenMinutesOld': send(a, s, '${describe}', minutes_ago=10),
  'otherProject': send('${bob.accessKeyId}', '${bob.secretAccessKey}', '${stop}'),
}))
`);
    expect(results).toEqual({
      valid: [200, 'ok'],
      presigned: [200, 'ok'],
      otherRegion: [200, 'ok'],
      wrongSecret: [403, 'SignatureDoesNotMatch'],
      unknownKey: [401, 'AuthFailure'],
      bodyAltered: [403, 'SignatureDoesNotMatch'],
      twentyMinutesOld: [400, 'RequestExpired'],
      tenMinutesOld: [200, 'ok'],
      otherProject: [400, 'InvalidInstanceID.NotFound'],
    });
    expect(await requestedEventsSince(cloud.running.store, head)).toEqual([]);

    const unsigned = await cloud.running.http.post('/ec2').type('form').send(stop);
    expect(unsigned.status).toBe(401);
    expect(unsigned.text).toContain('<Code>MissingAuthenticationToken</Code>');
    const sigV2 = await cloud.running.http.get(
      `/ec2?${describe}&AWSAccessKeyId=${alice.accessKeyId}&SignatureVersion=2&SignatureMethod=HmacSHA256&Signature=x`,
    );
    expect(sigV2.status).toBe(401);
    expect(sigV2.text).toContain('Signature Version 2 is not accepted');
    expect(await requestedEventsSince(cloud.running.store, head)).toEqual([]);
  }, 120_000);

  it("applies the key's user and role as now recorded: a reader describes but changes nothing; a deleted key or a revoked role no longer signs", async () => {
    const http = cloud.running.http;
    const carol = await http
      .post('/v1/users')
      .set(bearer(cloud.admin))
      .send({ name: 'carol', password: 'carol long password', projectId: cloud.projectId, role: 'member' })
      .expect(201);
    // A member's key, then the member made a reader: the key acts with the role the user has now.
    const reader = await createAccessKey(cloud.running, await cloud.running.login('carol', 'carol long password', 'demo'));
    await http.put(`/v1/users/${carol.body.id}/roles/${cloud.projectId}`).set(bearer(cloud.admin)).send({ role: 'reader' }).expect(200);
    const spare = await createAccessKey(cloud.running, cloud.alice);
    await http.delete(`/v1/access-keys/${spare.accessKeyId}`).set(bearer(cloud.alice)).expect(204);
    const script = (key: AccessKey) => `${boto3Ec2(endpoint, key)}
image = ec2.describe_images()['Images'][0]['ImageId'] if error_code(lambda: ec2.describe_images()) == 'no error' else 'ami-0123456789abcdef0'
print(json.dumps({
  'describe': error_code(lambda: ec2.describe_instances()),
  'run': error_code(lambda: ec2.run_instances(ImageId=image, InstanceType='m1.small', MinCount=1, MaxCount=1)),
  'keyPair': error_code(lambda: ec2.create_key_pair(KeyName='readers')),
}))
`;
    const head = await cloud.running.store.headPosition();
    expect(await pythonJson(script(reader))).toEqual({ describe: 'no error', run: 'UnauthorizedOperation', keyPair: 'UnauthorizedOperation' });
    expect(await requestedEventsSince(cloud.running.store, head)).toEqual([]);
    expect(await pythonJson(script(spare))).toEqual({ describe: 'AuthFailure', run: 'AuthFailure', keyPair: 'AuthFailure' });
    await http.delete(`/v1/users/${carol.body.id}/roles/${cloud.projectId}`).set(bearer(cloud.admin)).expect(200);
    expect(await pythonJson(script(reader))).toEqual({ describe: 'AuthFailure', run: 'AuthFailure', keyPair: 'AuthFailure' });
  }, 120_000);

  it("serves libcloud's EC2 driver on the dedicated port (ORCH_EC2_PORT), signed for the region it names", async () => {
    const port = cloud.running.app.get(Ec2PortServer).port();
    expect(port).toEqual(expect.any(Number));
    const seen = await pythonJson<{ nodes: Array<{ name: string; state: string }>; rebooted: boolean; sizes: string[] }>(`import json, time
from libcloud.compute.providers import get_driver
from libcloud.compute.types import Provider
driver = get_driver(Provider.EC2)('${alice.accessKeyId}', '${alice.secretAccessKey}', region='eu-west-1',
                                  host='127.0.0.1', port=${port}, secure=False, signature_version='4')
image = driver.list_images()[0]
size = [s for s in driver.list_sizes() if s.id == 'm1.small'][0]
node = driver.create_node(name='from-libcloud', image=image, size=size)
for _ in range(60):
    found = [n for n in driver.list_nodes() if n.id == node.id][0]
    if found.state == 'running':
        break
    time.sleep(0.5)
print(json.dumps({'nodes': [{'name': n.name, 'state': n.state} for n in driver.list_nodes() if n.id == node.id],
                  'rebooted': driver.reboot_node(found), 'sizes': [s.id for s in driver.list_sizes()]}))
`);
    expect(seen.nodes).toEqual([{ name: 'from-libcloud', state: 'running' }]);
    expect(seen.rebooted).toBe(true);
    expect(seen.sizes).toContain('m1.small');
  }, 120_000);
});
