import { createHash } from 'node:crypto';
import { InstanceView } from '../../../application/compute/ports/instance-read-model.port';
import { Microversion } from './nova-microversion';

/** What a server's view needs beyond the instance: names of its flavor, networks and groups, and who asks. */
export type ServerContext = {
  base: string;
  version: Microversion;
  admin: boolean;
  flavorNames: ReadonlyMap<string, string>;
  networkNames: ReadonlyMap<string, string>;
  groupNames: ReadonlyMap<string, string>;
  /** Floating addresses by the port they are associated with. */
  floatingByPort: ReadonlyMap<string, string>;
};

/** Nova's status from our user-facing state and task state (nova/api/openstack/common.py's mapping). */
export function novaStatus(i: Pick<InstanceView, 'state' | 'taskState'>): string {
  switch (i.state) {
    case 'pending':
      return i.taskState === 'powering_on' ? 'SHUTOFF' : 'BUILD';
    case 'active':
    case 'stopping':
    case 'deleting':
      return 'ACTIVE';
    case 'stopped':
      return 'SHUTOFF';
    case 'rebooting':
      return i.taskState === 'rebooting_hard' ? 'HARD_REBOOT' : 'REBOOT';
    case 'error':
      return 'ERROR';
    case 'deleted':
      return 'DELETED';
    default:
      return 'UNKNOWN';
  }
}

const VM_STATES: Record<string, string> = {
  BUILD: 'building',
  ACTIVE: 'active',
  SHUTOFF: 'stopped',
  REBOOT: 'active',
  HARD_REBOOT: 'active',
  ERROR: 'error',
  DELETED: 'deleted',
};
const POWER_STATES: Record<string, number> = { nostate: 0, running: 1, paused: 3, shutdown: 4, crashed: 6 };
/** Nova writes some task states with dashes. */
const TASK_STATES: Record<string, string> = { powering_off: 'powering-off', powering_on: 'powering-on', rebooting_hard: 'rebooting_hard' };

/** Nova's opaque hostId: a hash of the project and the host, so that a project sees which of its servers share a host. */
const hostIdOf = (i: InstanceView) =>
  i.host
    ? createHash('sha224')
        .update(i.projectId + i.host)
        .digest('hex')
    : '';

const link = (base: string, kind: string, id: string) => [
  { rel: 'self', href: `${base}/compute/v2.1/${kind}/${id}` },
  { rel: 'bookmark', href: `${base}/compute/${kind}/${id}` },
];

function addressesOf(i: InstanceView, c: ServerContext) {
  const addresses: Record<string, unknown[]> = {};
  for (const a of i.addresses) {
    const list = (addresses[c.networkNames.get(a.network) ?? a.network] ??= []);
    list.push({ version: 4, addr: a.ip, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': a.mac });
    const floating = c.floatingByPort.get(a.portId);
    if (floating) list.push({ version: 4, addr: floating, 'OS-EXT-IPS:type': 'floating', 'OS-EXT-IPS-MAC:mac_addr': a.mac });
  }
  return addresses;
}

function flavorOf(i: InstanceView, c: ServerContext) {
  if (c.version < 47) return { id: i.flavor.id, links: [{ rel: 'bookmark', href: `${c.base}/compute/flavors/${i.flavor.id}` }] };
  const { vcpus, ramMiB, diskGiB } = i.flavor;
  return { vcpus, ram: ramMiB, disk: diskGiB, ephemeral: 0, swap: 0, original_name: c.flavorNames.get(i.flavor.id) ?? i.flavor.id, extra_specs: {} };
}

/** A server in brief (`GET /servers`). */
export const serverBrief = (i: Pick<InstanceView, 'id' | 'name'>, base: string) => ({ id: i.id, name: i.name, links: link(base, 'servers', i.id) });

/** A server in full (`GET /servers/detail`, `GET /servers/{id}`), as of the negotiated microversion. */
export function serverDetail(i: InstanceView, c: ServerContext): Record<string, unknown> {
  const status = novaStatus(i);
  const server: Record<string, unknown> = {
    id: i.id,
    name: i.name,
    status,
    tenant_id: i.projectId,
    user_id: null,
    metadata: i.metadata,
    hostId: hostIdOf(i),
    image: { id: i.image, links: [{ rel: 'bookmark', href: `${c.base}/compute/images/${i.image}` }] },
    flavor: flavorOf(i, c),
    created: i.createdAt,
    updated: i.updatedAt,
    addresses: addressesOf(i, c),
    accessIPv4: '',
    accessIPv6: '',
    links: link(c.base, 'servers', i.id),
    'OS-DCF:diskConfig': 'MANUAL',
    progress: status === 'ACTIVE' ? 100 : 0,
    'OS-EXT-AZ:availability_zone': i.zone ?? 'nova',
    config_drive: '',
    key_name: i.keyName,
    'OS-SRV-USG:launched_at': null,
    'OS-SRV-USG:terminated_at': null,
    'OS-EXT-STS:task_state': i.taskState === null ? null : (TASK_STATES[i.taskState] ?? i.taskState),
    'OS-EXT-STS:vm_state': i.state === 'deleting' ? 'active' : (VM_STATES[status] ?? 'error'),
    'OS-EXT-STS:power_state': POWER_STATES[i.powerState] ?? 0,
    'os-extended-volumes:volumes_attached': i.volumes.map((id) => (c.version >= 3 ? { id, delete_on_termination: false } : { id })),
    security_groups: i.securityGroups.map((id) => ({ name: c.groupNames.get(id) ?? id })),
  };
  if (status === 'ERROR' && i.failure) server.fault = { code: 500, message: i.failure, created: i.updatedAt };
  if (c.admin) {
    server['OS-EXT-SRV-ATTR:host'] = i.host;
    server['OS-EXT-SRV-ATTR:hypervisor_hostname'] = i.host;
    server['OS-EXT-SRV-ATTR:instance_name'] = i.id;
  }
  if (c.version >= 9) server.locked = false;
  if (c.version >= 19) server.description = null;
  if (c.version >= 26) server.tags = i.tags;
  if (c.version >= 63) server.trusted_image_certificates = null;
  if (c.version >= 71) server.server_groups = [];
  if (c.version >= 73) server.locked_reason = null;
  return server;
}
