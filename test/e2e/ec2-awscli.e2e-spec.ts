import { describeWithAwsClients, describeWithPostgresAndAwsClients } from '../support/services';
import { AccessKey, awsEc2, awsEc2Failure, awsEnv, createAccessKey, ec2Endpoint } from '../support/aws-clients';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bearer } from '../support/app';
import { eventually } from '../support/eventually';
import { openStackCloud, password } from '../support/openstack-cloud';
import { ed25519Key } from '../support/ssh-keys';

type Instance = {
  InstanceId: string;
  State: { Code: number; Name: string };
  InstanceType: string;
  ImageId: string;
  SubnetId: string;
  Tags?: Array<{ Key: string; Value: string }>;
};
type Reservation = { ReservationId: string; Instances: Instance[] };

for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgresAndAwsClients : describeWithAwsClients)(`EC2 API driven by awscli (${store})`, () => {
    const cloud = openStackCloud(store);
    let key: AccessKey;
    let env: NodeJS.ProcessEnv;
    let endpoint: string;
    const aws = <T = Record<string, unknown>>(...args: string[]) => awsEc2<T>(endpoint, env, ...args);

    beforeAll(async () => {
      key = await createAccessKey(cloud.running, cloud.alice);
      env = awsEnv(key);
      // Found as tools that read the Keystone catalog find it.
      const login = await cloud.running.http
        .post('/identity/v3/auth/tokens')
        .send(
          password({ name: 'alice', domain: { name: 'Default' }, password: cloud.member.password }, { project: { name: 'demo', domain: { id: 'default' } } }),
        );
      const ec2 = login.body.token.catalog.find((s: { type: string }) => s.type === 'ec2');
      endpoint = ec2.endpoints.find((e: { interface: string }) => e.interface === 'public').url;
      expect(endpoint).toBe(ec2Endpoint(cloud.running));
    });

    it('runs instances with a client token, waits for them, filters them, stops, starts, reboots and terminates them', async () => {
      const images = await aws<{ Images: Array<{ ImageId: string; Name: string }> }>('describe-images');
      const image = images.Images.find((i) => i.Name === 'cirros');
      expect(image?.ImageId).toMatch(/^ami-[0-9a-f]{17}$/);
      const run = ['run-instances', '--image-id', image!.ImageId, '--instance-type', 'm1.small', '--count', '3', '--client-token', 'launch-1'];
      const tagged = [...run, '--tag-specifications', 'ResourceType=instance,Tags=[{Key=Name,Value=web},{Key=team,Value=blue}]'];
      const first = await aws<Reservation>(...tagged);
      expect(first.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
      expect(first.Instances).toHaveLength(3);
      const ids = first.Instances.map((i) => i.InstanceId);
      for (const id of ids) expect(id).toMatch(/^i-[0-9a-f]{17}$/);
      expect(first.Instances[0]).toMatchObject({ InstanceType: 'm1.small', ImageId: image!.ImageId, State: { Name: 'pending', Code: 0 } });

      // The same token answers the same reservation; the same token with other parameters is refused.
      const again = await aws<Reservation>(...tagged);
      expect(again.ReservationId).toBe(first.ReservationId);
      expect(again.Instances.map((i) => i.InstanceId)).toEqual(ids);
      const mismatch = await awsEc2Failure(endpoint, env, ...run.map((a) => (a === '3' ? '2' : a)));
      expect(mismatch.stderr).toContain('IdempotentParameterMismatch');

      await aws('wait', 'instance-running', '--instance-ids', ...ids);
      const running = await aws<{ Reservations: Reservation[] }>(
        'describe-instances',
        '--filters',
        'Name=instance-state-name,Values=running',
        'Name=tag:team,Values=blue',
      );
      expect(running.Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId)).sort()).toEqual([...ids].sort());
      const queried = await aws<string[]>('describe-instances', '--instance-ids', ids[0], '--query', 'Reservations[].Instances[].Tags[?Key==`Name`].Value[]');
      expect(queried).toEqual(['web']);

      const stopped = await aws<{ StoppingInstances: Array<{ InstanceId: string; PreviousState: { Name: string }; CurrentState: { Name: string } }> }>(
        'stop-instances',
        '--instance-ids',
        ids[0],
      );
      expect(stopped.StoppingInstances[0]).toMatchObject({ InstanceId: ids[0], PreviousState: { Name: 'running' } });
      expect(['stopping', 'stopped']).toContain(stopped.StoppingInstances[0].CurrentState.Name); // a simulated host stops at once
      await aws('wait', 'instance-stopped', '--instance-ids', ids[0]);
      await aws('start-instances', '--instance-ids', ids[0]);
      await aws('wait', 'instance-running', '--instance-ids', ids[0]);
      await aws('reboot-instances', '--instance-ids', ids[1]);
      await aws('wait', 'instance-running', '--instance-ids', ids[1]);

      const terminated = await aws<{ TerminatingInstances: Array<{ CurrentState: { Name: string } }> }>('terminate-instances', '--instance-ids', ...ids);
      for (const t of terminated.TerminatingInstances) expect(['shutting-down', 'terminated']).toContain(t.CurrentState.Name);
      await aws('wait', 'instance-terminated', '--instance-ids', ...ids);
      const gone = await aws<{ Reservations: Reservation[] }>('describe-instances', '--instance-ids', ids[2]);
      expect(gone.Reservations[0].Instances[0].State).toEqual({ Code: 48, Name: 'terminated' });
    }, 240_000);

    it('manages key pairs, security groups, volumes, snapshots, addresses and tags', async () => {
      const made = await aws<{ KeyName: string; KeyMaterial: string; KeyFingerprint: string }>('create-key-pair', '--key-name', 'made');
      expect(made.KeyMaterial).toContain('PRIVATE KEY');
      const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'orch-ec2-')), 'id.pub');
      fs.writeFileSync(keyFile, `${ed25519Key(7)}\n`);
      await aws('import-key-pair', '--key-name', 'laptop', '--public-key-material', `fileb://${keyFile}`);
      const keys = await aws<{ KeyPairs: Array<{ KeyName: string }> }>('describe-key-pairs');
      expect(keys.KeyPairs.map((k) => k.KeyName).sort()).toEqual(['laptop', 'made']);
      expect((await awsEc2Failure(endpoint, env, 'create-key-pair', '--key-name', 'made')).stderr).toContain('InvalidKeyPair.Duplicate');
      await aws('delete-key-pair', '--key-name', 'made');
      expect((await awsEc2Failure(endpoint, env, 'describe-key-pairs', '--key-names', 'made')).stderr).toContain('InvalidKeyPair.NotFound');

      const group = await aws<{ GroupId: string }>('create-security-group', '--group-name', 'web', '--description', 'web servers');
      expect(group.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
      await aws('authorize-security-group-ingress', '--group-id', group.GroupId, '--protocol', 'tcp', '--port', '22', '--cidr', '10.1.0.0/16');
      await aws(
        'authorize-security-group-ingress',
        '--group-id',
        group.GroupId,
        '--ip-permissions',
        'IpProtocol=icmp,FromPort=-1,ToPort=-1,IpRanges=[{CidrIp=0.0.0.0/0}]',
      );
      const duplicate = await awsEc2Failure(
        endpoint,
        env,
        'authorize-security-group-ingress',
        '--group-id',
        group.GroupId,
        '--protocol',
        'tcp',
        '--port',
        '22',
        '--cidr',
        '10.1.0.0/16',
      );
      expect(duplicate.stderr).toContain('InvalidPermission.Duplicate');
      type Groups = {
        SecurityGroups: Array<{
          GroupName: string;
          IpPermissions: Array<{ IpProtocol: string; FromPort?: number; IpRanges: Array<{ CidrIp: string }> }>;
          IpPermissionsEgress: unknown[];
        }>;
      };
      const described = await aws<Groups>('describe-security-groups', '--group-ids', group.GroupId);
      expect(described.SecurityGroups[0].IpPermissions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.1.0.0/16' }] }),
          expect.objectContaining({ IpProtocol: 'icmp', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }),
        ]),
      );
      expect(described.SecurityGroups[0].IpPermissionsEgress).toHaveLength(1);
      await aws('revoke-security-group-ingress', '--group-id', group.GroupId, '--protocol', 'tcp', '--port', '22', '--cidr', '10.1.0.0/16');
      expect((await aws<Groups>('describe-security-groups', '--group-names', 'web')).SecurityGroups[0].IpPermissions).toHaveLength(1);

      const image = (await aws<{ Images: Array<{ ImageId: string }> }>('describe-images')).Images[0].ImageId;
      const launched = await aws<Reservation>(
        'run-instances',
        '--image-id',
        image,
        '--instance-type',
        'm1.small',
        '--count',
        '1',
        '--key-name',
        'laptop',
        '--security-group-ids',
        group.GroupId,
      );
      const instanceId = launched.Instances[0].InstanceId;
      await aws('wait', 'instance-running', '--instance-ids', instanceId);

      const volume = await aws<{ VolumeId: string; Size: number; State: string }>('create-volume', '--size', '2', '--availability-zone', 'nova');
      expect(volume).toMatchObject({ VolumeId: expect.stringMatching(/^vol-[0-9a-f]{17}$/), Size: 2 });
      await aws('wait', 'volume-available', '--volume-ids', volume.VolumeId);
      await aws('attach-volume', '--volume-id', volume.VolumeId, '--instance-id', instanceId, '--device', '/dev/sdf');
      await aws('wait', 'volume-in-use', '--volume-ids', volume.VolumeId);
      const attached = await aws<{ Volumes: Array<{ Attachments: Array<{ InstanceId: string; State: string }> }> }>(
        'describe-volumes',
        '--volume-ids',
        volume.VolumeId,
      );
      expect(attached.Volumes[0].Attachments[0]).toMatchObject({ InstanceId: instanceId, State: 'attached' });
      const snapshot = await aws<{ SnapshotId: string; VolumeId: string }>('create-snapshot', '--volume-id', volume.VolumeId, '--description', 'nightly');
      expect(snapshot).toMatchObject({ SnapshotId: expect.stringMatching(/^snap-[0-9a-f]{17}$/), VolumeId: volume.VolumeId });
      await aws('wait', 'snapshot-completed', '--snapshot-ids', snapshot.SnapshotId);
      const inUse = await awsEc2Failure(endpoint, env, 'delete-volume', '--volume-id', volume.VolumeId);
      expect(inUse.stderr).toMatch(/VolumeInUse|IncorrectState/);
      // Tags on a volume, its snapshot and a security group (each context's metadata), all or nothing.
      await aws('create-tags', '--resources', volume.VolumeId, snapshot.SnapshotId, group.GroupId, '--tags', 'Key=tier,Value=gold');
      const unknownTagged = await awsEc2Failure(
        endpoint,
        env,
        'create-tags',
        '--resources',
        volume.VolumeId,
        'vol-0123456789abcdef0',
        '--tags',
        'Key=x,Value=y',
      );
      expect(unknownTagged.stderr).toContain('InvalidVolume.NotFound');
      expect((await aws<{ Tags: unknown[] }>('describe-tags', '--filters', 'Name=key,Values=x')).Tags).toEqual([]);
      const gold = await aws<{ Tags: Array<{ ResourceId: string; ResourceType: string }> }>('describe-tags', '--filters', 'Name=key,Values=tier');
      expect(gold.Tags.map((t) => `${t.ResourceType} ${t.ResourceId}`).sort()).toEqual(
        [`security-group ${group.GroupId}`, `snapshot ${snapshot.SnapshotId}`, `volume ${volume.VolumeId}`].sort(),
      );
      const goldVolumes = await aws<{ Volumes: Array<{ VolumeId: string; Tags: Array<{ Key: string; Value: string }> }> }>(
        'describe-volumes',
        '--filters',
        'Name=tag:tier,Values=gold',
      );
      expect(goldVolumes.Volumes).toEqual([expect.objectContaining({ VolumeId: volume.VolumeId, Tags: [{ Key: 'tier', Value: 'gold' }] })]);
      await aws('delete-tags', '--resources', group.GroupId, '--tags', 'Key=tier');
      expect((await aws<{ Tags: unknown[] }>('describe-tags', '--filters', 'Name=resource-type,Values=security-group')).Tags).toEqual([]);
      expect((await aws<{ Tags: unknown[] }>('describe-tags', '--filters', 'Name=resource-type,Values=snapshot')).Tags).toHaveLength(1);
      await aws('detach-volume', '--volume-id', volume.VolumeId);
      await aws('wait', 'volume-available', '--volume-ids', volume.VolumeId);
      await aws('delete-snapshot', '--snapshot-id', snapshot.SnapshotId);

      const address = await aws<{ PublicIp: string; AllocationId: string }>('allocate-address', '--domain', 'vpc');
      expect(address.AllocationId).toMatch(/^eipalloc-[0-9a-f]{17}$/);
      const association = await aws<{ AssociationId: string }>('associate-address', '--allocation-id', address.AllocationId, '--instance-id', instanceId);
      const addresses = await aws<{ Addresses: Array<{ PublicIp: string; InstanceId?: string }> }>(
        'describe-addresses',
        '--filters',
        `Name=instance-id,Values=${instanceId}`,
      );
      expect(addresses.Addresses).toEqual([expect.objectContaining({ PublicIp: address.PublicIp, InstanceId: instanceId })]);
      const withIp = await aws<{ Reservations: Reservation[] }>('describe-instances', '--instance-ids', instanceId);
      expect(withIp.Reservations[0].Instances[0]).toMatchObject({ PublicIpAddress: address.PublicIp });
      await aws('disassociate-address', '--association-id', association.AssociationId);
      await aws('release-address', '--allocation-id', address.AllocationId);
      expect((await aws<{ Addresses: unknown[] }>('describe-addresses')).Addresses).toEqual([]);

      await aws('create-tags', '--resources', instanceId, '--tags', 'Key=env,Value=prod', 'Key=owner,Value=ops');
      const tags = await aws<{ Tags: Array<{ Key: string; Value: string; ResourceId: string }> }>(
        'describe-tags',
        '--filters',
        `Name=resource-id,Values=${instanceId}`,
      );
      expect(tags.Tags.map((t) => `${t.Key}=${t.Value}`).sort()).toEqual(['env=prod', 'owner=ops']);
      await aws('delete-tags', '--resources', instanceId, '--tags', 'Key=env');
      const left = await aws<{ Tags: Array<{ Key: string }> }>('describe-tags', '--filters', `Name=resource-id,Values=${instanceId}`);
      expect(left.Tags.map((t) => t.Key)).toEqual(['owner']);

      await aws('terminate-instances', '--instance-ids', instanceId);
      await aws('wait', 'instance-terminated', '--instance-ids', instanceId);
      await aws('delete-volume', '--volume-id', volume.VolumeId);
      await aws('delete-security-group', '--group-id', group.GroupId);
    }, 300_000);

    it('launches 1,000 with one `aws ec2 run-instances --count 1000`, and all reach running', async () => {
      const http = cloud.running.http;
      await http
        .patch(`/v1/projects/${cloud.projectId}`)
        .set(bearer(cloud.admin))
        .send({ quotas: { instances: -1, vcpus: -1, ramMiB: -1 } })
        .expect(200);
      await http
        .post('/v1/hosts')
        .set(bearer(cloud.admin))
        .send({ name: 'sim-big', driver: 'simulated', vcpus: 2048, ramMiB: 2_097_152, diskGiB: 100_000 })
        .expect(201);
      const big = (await http.post('/v1/networks').set(bearer(cloud.alice)).send({ name: 'big', cidr: '10.9.0.0/20' }).expect(201)).body.id as string;
      const image = (await aws<{ Images: Array<{ ImageId: string }> }>('describe-images')).Images[0].ImageId;
      const started = Date.now();
      const run = await aws<Reservation>(
        'run-instances',
        ...['--image-id', image, '--instance-type', 'm1.small', '--count', '1000', '--subnet-id', `subnet-${big.slice(4, 21)}`],
        ...['--tag-specifications', 'ResourceType=instance,Tags=[{Key=batch,Value=cli}]'],
      );
      process.stdout.write(`aws ec2 run-instances --count 1000 (${store}): ${Date.now() - started} ms, the CLI's start-up and parsing included\n`);
      expect(run.Instances).toHaveLength(1000);
      const count = () =>
        aws<number>(
          'describe-instances',
          '--filters',
          'Name=tag:batch,Values=cli',
          'Name=instance-state-name,Values=running',
          '--query',
          'length(Reservations[].Instances[])',
        );
      await eventually(count, (n) => n === 1000, '1,000 instances running', 120_000, 1_000);
    }, 300_000);

    it('answers unknown ids, bad parameters and unknown actions with EC2 codes', async () => {
      const unknown = await awsEc2Failure(endpoint, env, 'describe-instances', '--instance-ids', 'i-0123456789abcdef0');
      expect(unknown).toMatchObject({ code: 254 });
      expect(unknown.stderr).toContain('InvalidInstanceID.NotFound');
      const malformed = await awsEc2Failure(endpoint, env, 'stop-instances', '--instance-ids', 'vol-12');
      expect(malformed.stderr).toContain('InvalidInstanceID.Malformed');
      const badImage = await awsEc2Failure(endpoint, env, 'run-instances', '--image-id', 'ami-0123456789abcdef0', '--instance-type', 'm1.small');
      expect(badImage.stderr).toContain('InvalidAMIID.NotFound');
      const unsupported = await awsEc2Failure(endpoint, env, 'describe-spot-price-history');
      expect(unsupported.stderr).toContain('InvalidAction');
    }, 120_000);
  });
}
