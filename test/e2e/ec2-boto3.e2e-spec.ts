import { bearer } from '../support/app';
import { AccessKey, boto3Ec2, createAccessKey, ec2Endpoint } from '../support/aws-clients';
import { requestedEventsSince } from '../support/events';
import { openStackCloud } from '../support/openstack-cloud';
import { pythonJson } from '../support/openstack-clients';
import { describeWithAwsClients, describeWithPostgresAndAwsClients } from '../support/services';
import { ed25519Key } from '../support/ssh-keys';

for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgresAndAwsClients : describeWithAwsClients)(`EC2 API driven by boto3 (${store})`, () => {
    const cloud = openStackCloud(store);
    let key: AccessKey;
    let endpoint: string;

    beforeAll(async () => {
      key = await createAccessKey(cloud.running, cloud.alice);
      endpoint = ec2Endpoint(cloud.running);
      const http = cloud.running.http;
      await http
        .patch(`/v1/projects/${cloud.projectId}`)
        .set(bearer(cloud.admin))
        .send({ quotas: { instances: -1, vcpus: -1, ramMiB: -1 } })
        .expect(200);
      await http.post('/v1/networks').set(bearer(cloud.alice)).send({ name: 'big', cidr: '10.8.0.0/20' }).expect(201);
      await http
        .post('/v1/hosts')
        .set(bearer(cloud.admin))
        .send({ name: 'sim-big', driver: 'simulated', vcpus: 2048, ramMiB: 2_097_152, diskGiB: 100_000 })
        .expect(201);
    });

    it('runs, waits for, stops, starts and terminates instances, with the client token honoured', async () => {
      const result = await pythonJson<{ same: boolean; states: string[]; mismatch: string; terminated: string }>(`${boto3Ec2(endpoint, key)}
image = ec2.describe_images()['Images'][0]['ImageId']
first = ec2.run_instances(ImageId=image, InstanceType='m1.small', MinCount=2, MaxCount=2, ClientToken='boto-1')
again = ec2.run_instances(ImageId=image, InstanceType='m1.small', MinCount=2, MaxCount=2, ClientToken='boto-1')
ids = [i['InstanceId'] for i in first['Instances']]
waiter_config = {'Delay': 1, 'MaxAttempts': 60}
ec2.get_waiter('instance_running').wait(InstanceIds=ids, WaiterConfig=waiter_config)
ec2.stop_instances(InstanceIds=ids[:1])
ec2.get_waiter('instance_stopped').wait(InstanceIds=ids[:1], WaiterConfig=waiter_config)
ec2.start_instances(InstanceIds=ids[:1])
ec2.get_waiter('instance_running').wait(InstanceIds=ids[:1], WaiterConfig=waiter_config)
states = [i['State']['Name'] for r in ec2.describe_instances(InstanceIds=ids)['Reservations'] for i in r['Instances']]
mismatch = error_code(lambda: ec2.run_instances(ImageId=image, InstanceType='m1.small', MinCount=1, MaxCount=1, ClientToken='boto-1'))
ec2.terminate_instances(InstanceIds=ids)
ec2.get_waiter('instance_terminated').wait(InstanceIds=ids, WaiterConfig=waiter_config)
terminated = ec2.describe_instances(InstanceIds=ids[:1])['Reservations'][0]['Instances'][0]['State']['Name']
print(json.dumps({'same': first['ReservationId'] == again['ReservationId'] and ids == [i['InstanceId'] for i in again['Instances']], 'states': states, 'mismatch': mismatch, 'terminated': terminated}))
`);
      expect(result).toEqual({ same: true, states: ['running', 'running'], mismatch: 'IdempotentParameterMismatch', terminated: 'terminated' });
    }, 180_000);

    it('launches 1,000 in one RunInstances, all reach running, and the paginator reads them in pages of 100', async () => {
      const result = await pythonJson<{
        launched: number;
        answerSeconds: number;
        pages: number[];
        distinct: number;
        running: number;
      }>(`${boto3Ec2(endpoint, key)}
import time
image = ec2.describe_images()['Images'][0]['ImageId']
started = time.monotonic()
subnet = ec2.describe_subnets(Filters=[{'Name': 'tag:Name', 'Values': ['big']}])['Subnets'][0]['SubnetId']
run = ec2.run_instances(ImageId=image, InstanceType='m1.small', MinCount=1000, MaxCount=1000, SubnetId=subnet,
                        TagSpecifications=[{'ResourceType': 'instance', 'Tags': [{'Key': 'batch', 'Value': 'big'}]}])
answer_seconds = time.monotonic() - started
ids = [i['InstanceId'] for i in run['Instances']]
filters = [{'Name': 'tag:batch', 'Values': ['big']}, {'Name': 'instance-state-name', 'Values': ['running']}]
deadline = time.monotonic() + 120
while True:
    running = sum(len(r['Instances']) for page in ec2.get_paginator('describe_instances').paginate(Filters=filters, PaginationConfig={'PageSize': 1000}) for r in page['Reservations'])
    if running == 1000 or time.monotonic() > deadline:
        break
    time.sleep(1)
pages, seen = [], set()
for page in ec2.get_paginator('describe_instances').paginate(Filters=[{'Name': 'tag:batch', 'Values': ['big']}], PaginationConfig={'PageSize': 100}):
    members = [i['InstanceId'] for r in page['Reservations'] for i in r['Instances']]
    pages.append(len(members))
    seen.update(members)
print(json.dumps({'launched': len(ids), 'answerSeconds': answer_seconds, 'pages': pages, 'distinct': len(seen & set(ids)), 'running': running}))
`);
      process.stdout.write(`RunInstances of 1,000 (${store}) answered in ${result.answerSeconds.toFixed(2)} s\n`);
      expect(result).toMatchObject({ launched: 1000, running: 1000, distinct: 1000 });
      expect(result.pages).toEqual(Array(10).fill(100));
    }, 300_000);

    it("answers bad input with the client's error codes, changing nothing", async () => {
      const head = await cloud.running.store.headPosition();
      const codes = await pythonJson<Record<string, string>>(`${boto3Ec2(endpoint, key)}
image = ec2.describe_images()['Images'][0]['ImageId']
ec2.import_key_pair(KeyName='dup', PublicKeyMaterial=b'${ed25519Key(9)}')
print(json.dumps({
  'unknownInstance': error_code(lambda: ec2.describe_instances(InstanceIds=['i-0123456789abcdef0'])),
  'malformedInstance': error_code(lambda: ec2.terminate_instances(InstanceIds=['nonsense'])),
  'unknownImage': error_code(lambda: ec2.run_instances(ImageId='ami-0123456789abcdef0', InstanceType='m1.small', MinCount=1, MaxCount=1)),
  'badType': error_code(lambda: ec2.run_instances(ImageId=image, InstanceType='x9.huge', MinCount=1, MaxCount=1)),
  'tooMany': error_code(lambda: ec2.run_instances(ImageId=image, InstanceType='m1.small', MinCount=1001, MaxCount=1001)),
  'missing': error_code(lambda: ec2.create_security_group(GroupName='nodesc', Description='')),
  'duplicateKey': error_code(lambda: ec2.import_key_pair(KeyName='dup', PublicKeyMaterial=b'${ed25519Key(10)}')),
  'combination': error_code(lambda: ec2.describe_instances(InstanceIds=['i-0123456789abcdef0'], MaxResults=5)),
  'badFilter': error_code(lambda: ec2.describe_instances(Filters=[{'Name': 'no-such-filter', 'Values': ['x']}])),
  'unknownVolume': error_code(lambda: ec2.delete_volume(VolumeId='vol-0123456789abcdef0')),
  'unknownGroup': error_code(lambda: ec2.delete_security_group(GroupId='sg-0123456789abcdef0')),
  'dryRun': error_code(lambda: ec2.run_instances(ImageId=image, InstanceType='m1.small', MinCount=1, MaxCount=1, DryRun=True)),
}))
`);
      expect(codes).toEqual({
        unknownInstance: 'InvalidInstanceID.NotFound',
        malformedInstance: 'InvalidInstanceID.Malformed',
        unknownImage: 'InvalidAMIID.NotFound',
        badType: 'InvalidParameterValue',
        tooMany: 'InvalidParameterValue',
        missing: 'MissingParameter',
        duplicateKey: 'InvalidKeyPair.Duplicate',
        combination: 'InvalidParameterCombination',
        badFilter: 'InvalidParameterValue',
        unknownVolume: 'InvalidVolume.NotFound',
        unknownGroup: 'InvalidGroup.NotFound',
        dryRun: 'DryRunOperation',
      });
      // Only the key pair the script imported on purpose was recorded.
      expect((await requestedEventsSince(cloud.running.store, head)).map((e) => e.split(' ')[0])).toEqual(['KeyClaimed', 'KeyPairImported']);
    }, 120_000);
  });
}
