import { InstanceView } from '../../application/compute/ports/instance-read-model.port';
import { ec2Form, ec2IdOf, reservationIdOf } from './ec2-ids';
import { Ec2InstanceContext } from './ec2-lookups';
import { XmlValue } from './ec2-xml';

export type Ec2State = { code: number; name: string };

/** EC2's states for ours; an instance in error is terminated with a reason, as EC2 shows a launch that failed. */
const STATES: Record<string, Ec2State> = {
  pending: { code: 0, name: 'pending' },
  active: { code: 16, name: 'running' },
  rebooting: { code: 16, name: 'running' },
  deleting: { code: 32, name: 'shutting-down' },
  deleted: { code: 48, name: 'terminated' },
  error: { code: 48, name: 'terminated' },
  stopping: { code: 64, name: 'stopping' },
  stopped: { code: 80, name: 'stopped' },
};

export const ec2StateOf = (i: Pick<InstanceView, 'state'>): Ec2State => STATES[i.state] ?? STATES.pending;
export const DEFAULT_ZONE = 'nova';
export const zoneOf = (i: InstanceView) => i.zone ?? DEFAULT_ZONE;
export const tagSetOf = (metadata: Record<string, string>) => Object.entries(metadata).map(([key, value]) => ({ key, value }));

/** An instance as `reservationSet/item/instancesSet/item`. */
export function instanceItem(i: InstanceView, context: Ec2InstanceContext, launchIndex: number): XmlValue {
  const state = ec2StateOf(i);
  const primary = i.addresses[0];
  const publicIp = primary ? context.floatingByPort.get(primary.portId) : undefined;
  const privateDns = primary ? `ip-${primary.ip.replace(/\./g, '-')}.ec2.internal` : '';
  const groups = i.securityGroups.map((id) => ({ groupId: ec2IdOf('security-group', id), groupName: context.groupNames.get(id) ?? id }));
  return {
    instanceId: ec2IdOf('instance', i.id),
    imageId: ec2IdOf('image', i.image),
    instanceState: state,
    privateDnsName: privateDns,
    dnsName: publicIp ? `ec2-${publicIp.replace(/\./g, '-')}.compute.amazonaws.com` : '',
    reason: i.state === 'stopped' ? 'User initiated' : '',
    keyName: i.keyName ?? undefined,
    amiLaunchIndex: launchIndex,
    productCodes: [],
    instanceType: context.flavorNames.get(i.flavor.id) ?? i.flavor.id,
    launchTime: i.createdAt,
    placement: { availabilityZone: zoneOf(i), groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: primary ? ec2IdOf('network', primary.network) : undefined,
    vpcId: primary ? context.vpcId : undefined,
    privateIpAddress: primary?.ip,
    ipAddress: publicIp,
    sourceDestCheck: true,
    groupSet: groups,
    stateReason: i.state === 'error' ? { code: 'Server.InternalError', message: `Server.InternalError: ${i.failure ?? 'the launch failed'}` } : undefined,
    architecture: 'x86_64',
    rootDeviceType: i.volumes.length > 0 ? 'ebs' : 'instance-store',
    rootDeviceName: '/dev/vda',
    blockDeviceMapping: [],
    virtualizationType: 'hvm',
    clientToken: '',
    tagSet: tagSetOf(i.metadata),
    hypervisor: 'xen',
    networkInterfaceSet: i.addresses.map((a, index) => ({
      networkInterfaceId: ec2Form('eni', a.portId),
      subnetId: ec2IdOf('network', a.network),
      vpcId: context.vpcId,
      status: 'in-use',
      macAddress: a.mac,
      privateIpAddress: a.ip,
      sourceDestCheck: true,
      groupSet: groups,
      attachment: { attachmentId: ec2Form('eni-attach', a.portId), deviceIndex: index, status: 'attached' },
      association: index === 0 && publicIp ? { publicIp, ipOwnerId: 'amazon' } : undefined,
      privateIpAddressesSet: [{ privateIpAddress: a.ip, primary: true }],
    })),
    ebsOptimized: false,
  };
}

/** Instances grouped into their reservations (launches), in the order given. */
export function reservationsOf(instances: readonly InstanceView[], context: Ec2InstanceContext, ownerId: string): XmlValue[] {
  const byOperation = new Map<string, InstanceView[]>();
  for (const i of instances) {
    const members = byOperation.get(i.operationId);
    if (members) members.push(i);
    else byOperation.set(i.operationId, [i]);
  }
  return [...byOperation].map(([operationId, members]) => ({
    reservationId: reservationIdOf(operationId),
    ownerId,
    groupSet: [],
    instancesSet: members.map((i, index) => instanceItem(i, context, index)),
  }));
}
