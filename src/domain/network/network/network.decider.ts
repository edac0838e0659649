import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, invalid, notFound, refused } from '../../shared/domain-error';
import { BucketedMap, bucketedDelete, bucketedGet, bucketedSet, emptyBucketedMap } from '../../shared/bucketed-map';
import { formatIp, parseIp } from './ipv4';
import { Subnet, SubnetRequest, containsAddress, poolRanges, subnetLayout, subnetsOverlap } from './subnet';

/**
 * A tenant (or external) network: a VLAN segment with none, one or several IPv4 subnets. It owns
 * its address allocations, so an address can never be handed out twice: every allocation is
 * decided against the whole list and appended with the stream's expected version.
 */
export type NetworkEvent =
  | DomainEvent<
      'NetworkCreated',
      { networkId: string; projectId: string; name: string; vlan: number; external: boolean; shared: boolean; subnets: Subnet[]; at: string }
    >
  | DomainEvent<'SubnetCreated', { networkId: string; projectId: string; subnet: Subnet; at: string }>
  | DomainEvent<'SubnetDeleted', { networkId: string; projectId: string; subnetId: string; at: string }>
  | DomainEvent<'IpAllocated', { networkId: string; subnetId: string; ip: string; portId: string; at: string }>
  | DomainEvent<'IpReleased', { networkId: string; subnetId: string; ip: string; portId: string; at: string }>
  | DomainEvent<'NetworkDeleted', { networkId: string; projectId: string; vlan: number; at: string }>;

export type NetworkCommand =
  | {
      type: 'CreateNetwork';
      networkId: string;
      projectId: string;
      name: string;
      vlan: number;
      external?: boolean;
      shared?: boolean;
      subnets: SubnetRequest[];
      now: string;
    }
  | { type: 'AddSubnet'; subnet: SubnetRequest; now: string }
  | { type: 'DeleteSubnet'; subnetId: string; now: string }
  /**
   * `ip` asks for a fixed address, `subnetId` for the lowest free one of that subnet; with neither
   * the first subnet with a free address gives one. Only a router's interface may take a gateway.
   */
  | { type: 'AllocateIp'; portId: string; ip?: string; subnetId?: string; gateway?: boolean; now: string }
  | { type: 'ReleaseIp'; portId: string; now: string }
  | { type: 'DeleteNetwork'; now: string };

export type LiveNetwork = {
  status: 'active' | 'deleted';
  networkId: string;
  projectId: string;
  vlan: number;
  external: boolean;
  subnets: readonly Subnet[];
  /** ip -> portId */
  allocations: BucketedMap<string>;
  /** portId -> ip (the same allocations, looked up by port) */
  addresses: BucketedMap<string>;
  /** Per subnet: addresses in use, and the address below which none of its pools is free. */
  usage: Readonly<Record<string, { used: number; freeFrom: number }>>;
};
export type NetworkState = { status: 'absent' } | LiveNetwork;

export const networkStream = (networkId: string) => `network-${networkId}`;

export const VLAN_MIN = 2;
export const VLAN_MAX = 4094;

/** A VLAN id a network may have. */
export function assertVlan(vlan: number): void {
  if (!Number.isInteger(vlan) || vlan < VLAN_MIN || vlan > VLAN_MAX) {
    throw invalid('InvalidVlan', `VLAN must be from ${VLAN_MIN} to ${VLAN_MAX}`, [{ field: 'vlan', message: 'out of range' }]);
  }
}

/** The subnets a request describes, each checked, none overlapping another. */
export function subnetsLayout(requests: readonly SubnetRequest[], existing: readonly Subnet[] = []): Subnet[] {
  const subnets = [...existing];
  for (const request of requests) {
    const subnet = subnetLayout(request);
    const clash = subnets.find((s) => subnetsOverlap(s, subnet));
    if (clash) throw conflict('SubnetOverlaps', `${subnet.cidr} overlaps ${clash.cidr} on this network`);
    if (subnets.some((s) => s.subnetId === subnet.subnetId)) throw conflict('SubnetExists', `Subnet ${subnet.subnetId} already exists`);
    subnets.push(subnet);
  }
  return subnets.slice(existing.length);
}

export const networkDecider: Decider<NetworkState, NetworkCommand, NetworkEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (command.type === 'CreateNetwork') {
      if (state.status !== 'absent') throw conflict('NetworkExists', `Network ${command.networkId} already exists`);
      assertVlan(command.vlan);
      const { networkId, projectId, name, vlan, now } = command;
      const subnets = subnetsLayout(command.subnets);
      return [{ type: 'NetworkCreated', data: { networkId, projectId, name, vlan, external: !!command.external, shared: !!command.shared, subnets, at: now } }];
    }
    if (state.status !== 'active') throw notFound('NetworkNotFound', 'Network not found');
    const { networkId, projectId } = state;
    switch (command.type) {
      case 'AddSubnet': {
        if (state.subnets.some((s) => s.subnetId === command.subnet.subnetId)) return []; // added already (a retry)
        const [subnet] = subnetsLayout([command.subnet], state.subnets);
        return [{ type: 'SubnetCreated', data: { networkId, projectId, subnet, at: command.now } }];
      }
      case 'DeleteSubnet': {
        const usage = state.usage[command.subnetId];
        if (!usage) throw notFound('SubnetNotFound', `Subnet ${command.subnetId} not found`);
        if (usage.used > 0) throw conflict('SubnetInUse', `Subnet ${command.subnetId} still has ${usage.used} address(es) in use (ports or router interfaces)`);
        return [{ type: 'SubnetDeleted', data: { networkId, projectId, subnetId: command.subnetId, at: command.now } }];
      }
      case 'AllocateIp': {
        const existing = bucketedGet(state.addresses, command.portId);
        if (existing !== undefined) {
          if (command.ip === undefined || command.ip === existing) return []; // the same allocation again
          throw conflict('PortHasAddress', `Port ${command.portId} already has ${existing} on this network`);
        }
        const { subnetId, ip } = command.ip === undefined ? lowestFree(state, command.subnetId) : requested(state, command.ip, command);
        return [{ type: 'IpAllocated', data: { networkId, subnetId, ip, portId: command.portId, at: command.now } }];
      }
      case 'ReleaseIp': {
        const held = bucketedGet(state.addresses, command.portId);
        if (held === undefined) return [];
        const subnetId = subnetOfAddress(state, held)?.subnetId ?? '';
        return [{ type: 'IpReleased', data: { networkId, subnetId, ip: held, portId: command.portId, at: command.now } }];
      }
      case 'DeleteNetwork':
        if (state.allocations.size > 0) throw conflict('NetworkInUse', 'The network still has ports; delete them first');
        return [
          ...state.subnets.map((s): NetworkEvent => ({ type: 'SubnetDeleted', data: { networkId, projectId, subnetId: s.subnetId, at: command.now } })),
          { type: 'NetworkDeleted', data: { networkId, projectId, vlan: state.vlan, at: command.now } },
        ];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'NetworkCreated': {
        const { networkId, projectId, vlan, external, subnets } = event.data;
        const created: LiveNetwork = {
          status: 'active',
          networkId,
          projectId,
          vlan,
          external,
          subnets: [],
          allocations: emptyBucketedMap<string>(),
          addresses: emptyBucketedMap<string>(),
          usage: {},
        };
        return subnets.reduce(withSubnet, created);
      }
      case 'SubnetCreated':
        return state.status === 'absent' ? state : withSubnet(state, event.data.subnet);
      case 'SubnetDeleted': {
        if (state.status === 'absent') return state;
        const { [event.data.subnetId]: _gone, ...usage } = state.usage;
        return { ...state, subnets: state.subnets.filter((s) => s.subnetId !== event.data.subnetId), usage };
      }
      case 'IpAllocated': {
        if (state.status === 'absent') return state;
        const { ip, portId, subnetId } = event.data;
        const next = { ...state, allocations: bucketedSet(state.allocations, ip, portId), addresses: bucketedSet(state.addresses, portId, ip) };
        const usage = state.usage[subnetId];
        if (!usage) return next;
        const subnet = state.subnets.find((s) => s.subnetId === subnetId) as Subnet;
        const n = parseIp(ip);
        const freeFrom = n === usage.freeFrom ? firstUntaken(next, subnet, n + 1) : usage.freeFrom;
        return { ...next, usage: { ...state.usage, [subnetId]: { used: usage.used + 1, freeFrom } } };
      }
      case 'IpReleased': {
        if (state.status === 'absent') return state;
        const { ip, portId, subnetId } = event.data;
        const next = { ...state, allocations: bucketedDelete(state.allocations, ip), addresses: bucketedDelete(state.addresses, portId) };
        const usage = state.usage[subnetId];
        if (!usage) return next;
        const n = parseIp(ip) ?? usage.freeFrom;
        return { ...next, usage: { ...state.usage, [subnetId]: { used: usage.used - 1, freeFrom: Math.min(n, usage.freeFrom) } } };
      }
      case 'NetworkDeleted':
        return state.status === 'absent' ? state : { ...state, status: 'deleted' };
      default:
        return assertNever(event);
    }
  },
};

function withSubnet(state: LiveNetwork, subnet: Subnet): LiveNetwork {
  const start = poolRanges(subnet)[0]?.start ?? 2 ** 32 - 1;
  return {
    ...state,
    subnets: [...state.subnets, subnet],
    usage: { ...state.usage, [subnet.subnetId]: { used: 0, freeFrom: firstUntaken(state, subnet, start) } },
  };
}

/** The subnet whose CIDR holds the address. */
export function subnetOfAddress(state: LiveNetwork, ip: string): Subnet | undefined {
  const n = parseIp(ip);
  return n === null ? undefined : state.subnets.find((s) => containsAddress(s, n));
}

/** The lowest free pool address of the subnet (or of the first subnet that has one); the search starts at its `freeFrom`. */
function lowestFree(state: LiveNetwork, subnetId: string | undefined): { subnetId: string; ip: string } {
  const candidates = subnetId === undefined ? state.subnets : state.subnets.filter((s) => s.subnetId === subnetId);
  if (subnetId !== undefined && candidates.length === 0) throw notFound('SubnetNotFound', `Subnet ${subnetId} is not on this network`);
  if (state.subnets.length === 0) throw refused('NetworkHasNoSubnet', 'The network has no subnet to take an address from');
  for (const subnet of candidates) {
    const from = state.usage[subnet.subnetId].freeFrom;
    for (const range of poolRanges(subnet)) {
      for (let ip = Math.max(range.start, from); ip <= range.end; ip++) {
        if (bucketedGet(state.allocations, formatIp(ip)) === undefined) return { subnetId: subnet.subnetId, ip: formatIp(ip) };
      }
    }
  }
  throw refused('NetworkFull', `No free address left in ${candidates.map((s) => s.cidr).join(', ')}`);
}

/** The first pool address from `from` on that is not allocated (past the last pool when none is). */
function firstUntaken(state: Pick<LiveNetwork, 'allocations'>, subnet: Subnet, from: number): number {
  for (const range of poolRanges(subnet)) {
    for (let ip = Math.max(range.start, from); ip <= range.end; ip++) {
      if (bucketedGet(state.allocations, formatIp(ip)) === undefined) return ip;
    }
  }
  return 2 ** 32 - 1;
}

/** The port holding an address of the network, if any. */
export const addressHolder = (state: LiveNetwork, ip: string): string | undefined => bucketedGet(state.allocations, ip);

/** The address a port holds on the network, if any. */
export function addressOf(state: NetworkState, portId: string): string | undefined {
  return state.status === 'absent' ? undefined : bucketedGet(state.addresses, portId);
}

function requested(state: LiveNetwork, text: string, command: { subnetId?: string; gateway?: boolean }): { subnetId: string; ip: string } {
  const subnet = subnetOfAddress(state, text);
  const ip = formatIp(parseIp(text) ?? 0);
  const refusal = (why: string) => invalid('InvalidIp', `${text} is not an assignable address of this network: ${why}`, [{ field: 'ip', message: why }]);
  if (!subnet) throw refusal(`in none of its subnets (${state.subnets.map((s) => s.cidr).join(', ') || 'none'})`);
  if (command.subnetId !== undefined && subnet.subnetId !== command.subnetId) throw refusal(`not in subnet ${command.subnetId}`);
  if ((ip === subnet.gateway) !== !!command.gateway) throw refusal(command.gateway ? 'not the gateway' : 'the gateway');
  if (bucketedGet(state.allocations, ip) !== undefined) throw conflict('IpInUse', `${text} is already in use`);
  return { subnetId: subnet.subnetId, ip };
}
