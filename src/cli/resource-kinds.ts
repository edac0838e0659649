import { CliError, EXIT } from './cli-error';
import { Column, at } from './output';

/** A kind of resource the CLI lists and shows: its REST path, its table columns, its event stream. */
export type ResourceKind = {
  path: string;
  columns: Column[];
  /** The stream of a resource of this kind (for `orch history`); null when its events are not in one stream per resource. */
  stream: ((id: string) => string) | null;
  /** Whether `GET <path>/{id}?asOf=` is served (`orch show --as-of`). */
  asOf: boolean;
  /** How `GET <path>` filters by name, when it does (else names are matched on the whole list). */
  nameFilter: boolean;
};

const id: Column = { header: 'id', value: (r) => at(r, 'id') };
const name: Column = { header: 'name', value: (r) => at(r, 'name') };
const created: Column = { header: 'created', value: (r) => at(r, 'createdAt') };

export const RESOURCE_KINDS: Record<string, ResourceKind> = {
  instances: {
    path: '/v1/instances',
    columns: [
      id,
      name,
      { header: 'state', value: (r) => (at(r, 'taskState') ? `${at(r, 'state')} (${at(r, 'taskState')})` : at(r, 'state')) },
      { header: 'power', value: (r) => at(r, 'powerState') },
      { header: 'addresses', value: (r) => ((at(r, 'addresses') ?? []) as Array<{ ip: string }>).map((a) => a.ip).join(', ') },
      { header: 'flavor', value: (r) => `${at(r, 'flavor.vcpus')} vCPU / ${at(r, 'flavor.ramMiB')} MiB` },
      created,
    ],
    stream: (x) => `instance-${x}`,
    asOf: true,
    nameFilter: true,
  },
  volumes: {
    path: '/v1/volumes',
    columns: [
      id,
      name,
      { header: 'size GiB', value: (r) => at(r, 'sizeGiB') },
      { header: 'status', value: (r) => at(r, 'status') },
      { header: 'attached to', value: (r) => at(r, 'instanceId') },
      created,
    ],
    stream: (x) => `volume-${x}`,
    asOf: true,
    nameFilter: false,
  },
  networks: {
    path: '/v1/networks',
    columns: [
      id,
      name,
      { header: 'cidr', value: (r) => at(r, 'cidr') },
      { header: 'vlan', value: (r) => at(r, 'vlan') },
      { header: 'used IPs', value: (r) => at(r, 'usedIps') },
      created,
    ],
    stream: (x) => `network-${x}`,
    asOf: true,
    nameFilter: false,
  },
  flavors: {
    path: '/v1/flavors',
    columns: [
      id,
      name,
      { header: 'vCPUs', value: (r) => at(r, 'vcpus') },
      { header: 'RAM MiB', value: (r) => at(r, 'ramMiB') },
      { header: 'disk GiB', value: (r) => at(r, 'diskGiB') },
    ],
    stream: (x) => `flavor-${x}`,
    asOf: false,
    nameFilter: false,
  },
  images: {
    path: '/v1/images',
    columns: [id, name, { header: 'os', value: (r) => at(r, 'os') }, { header: 'status', value: (r) => at(r, 'status') }, created],
    stream: (x) => `image-${x}`,
    asOf: false,
    nameFilter: false,
  },
  hosts: {
    path: '/v1/hosts',
    columns: [
      id,
      name,
      { header: 'driver', value: (r) => at(r, 'driver') },
      { header: 'enabled', value: (r) => at(r, 'enabled') },
      { header: 'vCPUs used/free', value: (r) => `${at(r, 'used.vcpus')}/${at(r, 'free.vcpus')}` },
      { header: 'RAM MiB used/free', value: (r) => `${at(r, 'used.ramMiB')}/${at(r, 'free.ramMiB')}` },
    ],
    stream: (x) => `host-${x}`,
    asOf: false,
    nameFilter: false,
  },
  keypairs: {
    path: '/v1/keypairs',
    columns: [name, { header: 'fingerprint', value: (r) => at(r, 'fingerprint') }, created],
    stream: null,
    asOf: false,
    nameFilter: false,
  },
  'security-groups': {
    path: '/v1/security-groups',
    columns: [id, name, { header: 'rules', value: (r) => (at(r, 'rules') as unknown[] | undefined)?.length ?? 0 }, created],
    stream: (x) => `security-group-${x}`,
    asOf: false,
    nameFilter: false,
  },
  'floating-ips': {
    path: '/v1/floating-ips',
    columns: [
      id,
      { header: 'address', value: (r) => at(r, 'address') ?? at(r, 'ip') },
      { header: 'port', value: (r) => at(r, 'portId') },
      { header: 'status', value: (r) => at(r, 'status') },
    ],
    stream: (x) => `floating-ip-${x}`,
    asOf: false,
    nameFilter: false,
  },
  projects: {
    path: '/v1/projects',
    columns: [id, name, { header: 'instances used/limit', value: (r) => `${at(r, 'usage.instances')}/${at(r, 'quotas.instances')}` }, created],
    stream: (x) => `project-${x}`,
    asOf: false,
    nameFilter: false,
  },
  users: {
    path: '/v1/users',
    columns: [id, name, { header: 'status', value: (r) => at(r, 'status') }, created],
    stream: (x) => `user-${x}`,
    asOf: false,
    nameFilter: false,
  },
};

/** `instance` and `instances` both name the kind. */
export function resourceKind(word: string): ResourceKind & { name: string } {
  const key = RESOURCE_KINDS[word] ? word : `${word}s`;
  const kind = RESOURCE_KINDS[key];
  if (!kind) throw new CliError(EXIT.USAGE, `unknown resource kind "${word}": one of ${Object.keys(RESOURCE_KINDS).join(', ')}`);
  return { ...kind, name: key };
}
