import * as grpc from '@grpc/grpc-js';
import { ec2IdOf } from '../../src/interfaces/ec2/ec2-ids';

/** Another project's resources, by kind, as the table names them. */
export type Theirs = {
  projectId: string;
  instance: string;
  operation: string;
  network: string;
  subnet: string;
  port: string;
  securityGroup: string;
  rule: string;
  floatingIp: string;
  router: string;
  volume: string;
  snapshot: string;
  keyPair: string;
};

/** One attempt: an interface, the resource kind, what is tried, and the call. */
export type Attempt = { interface: 'REST' | 'gRPC' | 'OpenStack' | 'EC2'; kind: string; op: 'read' | 'list' | 'update' | 'delete' | 'action'; call: Call };
export type Call =
  { rest: { method: string; path: string; body?: unknown } } | { grpc: { service: string; method: string; request: object } } | { ec2: Record<string, string> };

const rest = (method: string, path: string, body?: unknown): Call => ({ rest: { method, path, body } });
const rpc = (service: string, method: string, request: object): Call => ({ grpc: { service, method, request } });

/** REST: every resource kind × read, update, delete, action (lists are below). */
export function restAttempts(t: Theirs): Attempt[] {
  const a = (kind: string, op: Attempt['op'], call: Call): Attempt => ({ interface: 'REST', kind, op, call });
  return [
    a('instance', 'read', rest('GET', `/v1/instances/${t.instance}`)),
    a('instance', 'read', rest('GET', `/v1/instances/${t.instance}/events`)),
    a('instance', 'update', rest('PUT', `/v1/instances/${t.instance}/metadata`, { metadata: { a: 'b' } })),
    a('instance', 'update', rest('PUT', `/v1/instances/${t.instance}/tags`, { tags: ['x'] })),
    a('instance', 'action', rest('POST', `/v1/instances/${t.instance}/actions`, { action: 'stop' })),
    a('instance', 'delete', rest('DELETE', `/v1/instances/${t.instance}`)),
    a('operation', 'read', rest('GET', `/v1/operations/${t.operation}`)),
    a('network', 'read', rest('GET', `/v1/networks/${t.network}`)),
    a('network', 'action', rest('POST', `/v1/networks/${t.network}/subnets`, { cidr: '10.200.0.0/24' })),
    a('network', 'delete', rest('DELETE', `/v1/networks/${t.network}`)),
    a('subnet', 'read', rest('GET', `/v1/subnets/${t.subnet}`)),
    a('subnet', 'delete', rest('DELETE', `/v1/subnets/${t.subnet}`)),
    a('port', 'read', rest('GET', `/v1/ports/${t.port}`)),
    a('security group', 'read', rest('GET', `/v1/security-groups/${t.securityGroup}`)),
    a(
      'security group',
      'update',
      rest('POST', `/v1/security-groups/${t.securityGroup}/rules`, { direction: 'ingress', protocol: 'tcp', portMin: 1, portMax: 2, cidr: '0.0.0.0/0' }),
    ),
    a('security group', 'update', rest('DELETE', `/v1/security-groups/${t.securityGroup}/rules/${t.rule}`)),
    a('security group', 'delete', rest('DELETE', `/v1/security-groups/${t.securityGroup}`)),
    a('floating ip', 'read', rest('GET', `/v1/floating-ips/${t.floatingIp}`)),
    a('floating ip', 'action', rest('POST', `/v1/floating-ips/${t.floatingIp}/associate`, { instanceId: t.instance })),
    a('floating ip', 'action', rest('POST', `/v1/floating-ips/${t.floatingIp}/disassociate`)),
    a('floating ip', 'delete', rest('DELETE', `/v1/floating-ips/${t.floatingIp}`)),
    a('router', 'read', rest('GET', `/v1/routers/${t.router}`)),
    a('router', 'update', rest('PUT', `/v1/routers/${t.router}/gateway`, { network: 'public' })),
    a('router', 'action', rest('POST', `/v1/routers/${t.router}/interfaces`, { subnetId: t.subnet })),
    a('router', 'delete', rest('DELETE', `/v1/routers/${t.router}`)),
    a('volume', 'read', rest('GET', `/v1/volumes/${t.volume}`)),
    a('volume', 'update', rest('PATCH', `/v1/volumes/${t.volume}`, { name: 'mine-now' })),
    a('volume', 'action', rest('POST', `/v1/volumes/${t.volume}/extend`, { sizeGiB: 5 })),
    a('volume', 'action', rest('POST', `/v1/volumes/${t.volume}/attach`, { instanceId: t.instance })),
    a('volume', 'action', rest('POST', `/v1/volumes/${t.volume}/detach`, { instanceId: t.instance })),
    a('volume', 'action', rest('POST', `/v1/volumes/${t.volume}/snapshots`, { name: 'copy' })),
    a('volume', 'delete', rest('DELETE', `/v1/volumes/${t.volume}`)),
    a('snapshot', 'read', rest('GET', `/v1/volumes/${t.volume}/snapshots/${t.snapshot}`)),
    a('snapshot', 'list', rest('GET', `/v1/volumes/${t.volume}/snapshots`)),
    a('snapshot', 'delete', rest('DELETE', `/v1/volumes/${t.volume}/snapshots/${t.snapshot}`)),
    a('key pair', 'read', rest('GET', `/v1/keypairs/${t.keyPair}`)),
    a('key pair', 'delete', rest('DELETE', `/v1/keypairs/${t.keyPair}`)),
  ];
}

/** gRPC: the same kinds through the services' methods. */
export function grpcAttempts(t: Theirs): Attempt[] {
  const a = (kind: string, op: Attempt['op'], call: Call): Attempt => ({ interface: 'gRPC', kind, op, call });
  return [
    a('instance', 'read', rpc('Compute', 'GetInstance', { id: t.instance })),
    a('instance', 'action', rpc('Compute', 'InstanceAction', { id: t.instance, action: 'stop' })),
    a('instance', 'update', rpc('Compute', 'SetInstanceMetadata', { id: t.instance, metadata: { a: 'b' } })),
    a('instance', 'update', rpc('Compute', 'SetInstanceTags', { id: t.instance, tags: ['x'] })),
    a('instance', 'delete', rpc('Compute', 'DeleteInstance', { id: t.instance })),
    a('operation', 'read', rpc('Compute', 'GetOperation', { id: t.operation })),
    a('key pair', 'read', rpc('Compute', 'GetKeyPair', { name: t.keyPair })),
    a('key pair', 'delete', rpc('Compute', 'DeleteKeyPair', { name: t.keyPair })),
    a('network', 'read', rpc('Network', 'GetNetwork', { id: t.network })),
    a('network', 'delete', rpc('Network', 'DeleteNetwork', { id: t.network })),
    a('floating ip', 'read', rpc('Network', 'GetFloatingIp', { id: t.floatingIp })),
    a('floating ip', 'action', rpc('Network', 'AssociateFloatingIp', { id: t.floatingIp, instanceId: t.instance })),
    a('floating ip', 'action', rpc('Network', 'DisassociateFloatingIp', { id: t.floatingIp })),
    a('floating ip', 'delete', rpc('Network', 'ReleaseFloatingIp', { id: t.floatingIp })),
    a('security group', 'read', rpc('Network', 'GetSecurityGroup', { id: t.securityGroup })),
    a(
      'security group',
      'update',
      rpc('Network', 'AddSecurityGroupRule', { id: t.securityGroup, rule: { direction: 'ingress', protocol: 'tcp', cidr: '0.0.0.0/0' } }),
    ),
    a('security group', 'update', rpc('Network', 'RemoveSecurityGroupRule', { id: t.securityGroup, ruleId: t.rule })),
    a('security group', 'delete', rpc('Network', 'DeleteSecurityGroup', { id: t.securityGroup })),
    a('volume', 'read', rpc('Storage', 'GetVolume', { id: t.volume })),
    a('volume', 'action', rpc('Storage', 'AttachVolume', { id: t.volume, instanceId: t.instance })),
    a('volume', 'action', rpc('Storage', 'DetachVolume', { id: t.volume })),
    a('volume', 'action', rpc('Storage', 'CreateSnapshot', { volumeId: t.volume, name: 'copy' })),
    a('volume', 'delete', rpc('Storage', 'DeleteVolume', { id: t.volume })),
    a('snapshot', 'read', rpc('Storage', 'GetSnapshot', { volumeId: t.volume, snapshotId: t.snapshot })),
    a('snapshot', 'list', rpc('Storage', 'ListSnapshots', { volumeId: t.volume })),
    a('snapshot', 'delete', rpc('Storage', 'DeleteSnapshot', { volumeId: t.volume, snapshotId: t.snapshot })),
  ];
}

/** OpenStack: Nova, Cinder (in the caller's own project's URL) and Neutron. */
export function openStackAttempts(t: Theirs, ownProject: string): Attempt[] {
  const a = (kind: string, op: Attempt['op'], call: Call): Attempt => ({ interface: 'OpenStack', kind, op, call });
  const cinder = `/volume/v3/${ownProject}`;
  return [
    a('instance', 'read', rest('GET', `/compute/v2.1/servers/${t.instance}`)),
    a('instance', 'read', rest('GET', `/compute/v2.1/servers/${t.instance}/os-volume_attachments`)),
    a('instance', 'action', rest('POST', `/compute/v2.1/servers/${t.instance}/action`, { 'os-stop': null })),
    a('instance', 'delete', rest('DELETE', `/compute/v2.1/servers/${t.instance}`)),
    a('key pair', 'read', rest('GET', `/compute/v2.1/os-keypairs/${t.keyPair}`)),
    a('key pair', 'delete', rest('DELETE', `/compute/v2.1/os-keypairs/${t.keyPair}`)),
    a('volume', 'read', rest('GET', `${cinder}/volumes/${t.volume}`)),
    a('volume', 'action', rest('POST', `${cinder}/volumes/${t.volume}/action`, { 'os-extend': { new_size: 5 } })),
    a('volume', 'delete', rest('DELETE', `${cinder}/volumes/${t.volume}`)),
    a('snapshot', 'read', rest('GET', `${cinder}/snapshots/${t.snapshot}`)),
    a('snapshot', 'delete', rest('DELETE', `${cinder}/snapshots/${t.snapshot}`)),
    a('network', 'read', rest('GET', `/network/v2.0/networks/${t.network}`)),
    a('network', 'update', rest('PUT', `/network/v2.0/networks/${t.network}`, { network: { name: 'mine-now' } })),
    a('network', 'delete', rest('DELETE', `/network/v2.0/networks/${t.network}`)),
    a('subnet', 'read', rest('GET', `/network/v2.0/subnets/${t.subnet}`)),
    a('subnet', 'delete', rest('DELETE', `/network/v2.0/subnets/${t.subnet}`)),
    a('port', 'read', rest('GET', `/network/v2.0/ports/${t.port}`)),
    a('port', 'update', rest('PUT', `/network/v2.0/ports/${t.port}`, { port: { name: 'mine-now' } })),
    a('port', 'delete', rest('DELETE', `/network/v2.0/ports/${t.port}`)),
    a('security group', 'read', rest('GET', `/network/v2.0/security-groups/${t.securityGroup}`)),
    a(
      'security group',
      'update',
      rest('POST', '/network/v2.0/security-group-rules', { security_group_rule: { security_group_id: t.securityGroup, direction: 'ingress' } }),
    ),
    a('security group', 'delete', rest('DELETE', `/network/v2.0/security-groups/${t.securityGroup}`)),
    a('floating ip', 'read', rest('GET', `/network/v2.0/floatingips/${t.floatingIp}`)),
    a('floating ip', 'update', rest('PUT', `/network/v2.0/floatingips/${t.floatingIp}`, { floatingip: { port_id: null } })),
    a('floating ip', 'delete', rest('DELETE', `/network/v2.0/floatingips/${t.floatingIp}`)),
    a('router', 'read', rest('GET', `/network/v2.0/routers/${t.router}`)),
    a('router', 'update', rest('PUT', `/network/v2.0/routers/${t.router}`, { router: { name: 'mine-now' } })),
    a('router', 'action', rest('PUT', `/network/v2.0/routers/${t.router}/add_router_interface`, { subnet_id: t.subnet })),
    a('router', 'delete', rest('DELETE', `/network/v2.0/routers/${t.router}`)),
  ];
}

/** EC2: the kinds it has, in its ids. DeleteKeyPair of a name unknown to the caller succeeds in EC2, so it is checked by its effect. */
export function ec2Attempts(t: Theirs): Attempt[] {
  const a = (kind: string, op: Attempt['op'], params: Record<string, string>): Attempt => ({ interface: 'EC2', kind, op, call: { ec2: params } });
  const instance = ec2IdOf('instance', t.instance);
  const volume = ec2IdOf('volume', t.volume);
  const group = ec2IdOf('security-group', t.securityGroup);
  const address = ec2IdOf('floating-ip', t.floatingIp);
  return [
    a('instance', 'read', { Action: 'DescribeInstances', 'InstanceId.1': instance }),
    a('instance', 'action', { Action: 'StopInstances', 'InstanceId.1': instance }),
    a('instance', 'action', { Action: 'RebootInstances', 'InstanceId.1': instance }),
    a('instance', 'delete', { Action: 'TerminateInstances', 'InstanceId.1': instance }),
    a('volume', 'read', { Action: 'DescribeVolumes', 'VolumeId.1': volume }),
    a('volume', 'action', { Action: 'AttachVolume', VolumeId: volume, InstanceId: instance, Device: '/dev/vdb' }),
    a('volume', 'delete', { Action: 'DeleteVolume', VolumeId: volume }),
    a('snapshot', 'read', { Action: 'DescribeSnapshots', 'SnapshotId.1': ec2IdOf('snapshot', t.snapshot) }),
    a('snapshot', 'delete', { Action: 'DeleteSnapshot', SnapshotId: ec2IdOf('snapshot', t.snapshot) }),
    a('security group', 'read', { Action: 'DescribeSecurityGroups', 'GroupId.1': group }),
    a('security group', 'update', {
      Action: 'AuthorizeSecurityGroupIngress',
      GroupId: group,
      IpProtocol: 'tcp',
      FromPort: '1',
      ToPort: '2',
      CidrIp: '0.0.0.0/0',
    }),
    a('security group', 'delete', { Action: 'DeleteSecurityGroup', GroupId: group }),
    a('floating ip', 'read', { Action: 'DescribeAddresses', 'AllocationId.1': address }),
    a('floating ip', 'action', { Action: 'AssociateAddress', AllocationId: address, InstanceId: instance }),
    a('floating ip', 'delete', { Action: 'ReleaseAddress', AllocationId: address }),
    a('network', 'read', { Action: 'DescribeSubnets', 'SubnetId.1': ec2IdOf('network', t.network) }),
    a('key pair', 'read', { Action: 'DescribeKeyPairs', 'KeyName.1': t.keyPair }),
  ];
}

/** The lists of every interface, as the caller sees them: none may mention the other project's resources. */
export function listings(ownProject: string): Call[] {
  const restLists = ['instances', 'networks', 'ports', 'security-groups', 'floating-ips', 'routers', 'volumes', 'keypairs', 'events?limit=1000'].map((p) =>
    rest('GET', `/v1/${p}`),
  );
  const openStackLists = [
    '/compute/v2.1/servers/detail',
    '/compute/v2.1/os-keypairs',
    `/volume/v3/${ownProject}/volumes/detail`,
    `/volume/v3/${ownProject}/snapshots/detail`,
    '/network/v2.0/networks',
    '/network/v2.0/subnets',
    '/network/v2.0/ports',
    '/network/v2.0/security-groups',
    '/network/v2.0/security-group-rules',
    '/network/v2.0/floatingips',
    '/network/v2.0/routers',
  ].map((p) => rest('GET', p));
  const grpcLists = [
    ['Compute', 'ListInstances'],
    ['Compute', 'ListKeyPairs'],
    ['Network', 'ListNetworks'],
    ['Network', 'ListFloatingIps'],
    ['Network', 'ListSecurityGroups'],
    ['Storage', 'ListVolumes'],
  ].map(([service, method]) => rpc(service, method, {}));
  const ec2Lists = [
    'DescribeInstances',
    'DescribeVolumes',
    'DescribeSnapshots',
    'DescribeSecurityGroups',
    'DescribeAddresses',
    'DescribeSubnets',
    'DescribeKeyPairs',
  ].map((Action): Call => ({ ec2: { Action } }));
  return [...restLists, ...openStackLists, ...grpcLists, ...ec2Lists];
}

/** What each interface answers for a resource the caller may not know of. */
export function isNotFound(attempt: Attempt, outcome: { status: number; text: string; grpcCode?: grpc.status }): boolean {
  if ('grpc' in attempt.call) return outcome.grpcCode === grpc.status.NOT_FOUND;
  if ('ec2' in attempt.call)
    return outcome.status === 400 && /<Code>Invalid[A-Za-z]*(ID)?\.NotFound<\/Code>|<Code>InvalidGroup\.NotFound<\/Code>/.test(outcome.text);
  return outcome.status === 404;
}
