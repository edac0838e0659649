import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, invalid, notFound, refused } from '../../shared/domain-error';
import { BucketedMap, bucketedDelete, bucketedGet, bucketedSet, emptyBucketedMap } from '../../shared/bucketed-map';
import { Cidr, broadcast, formatIp, isHostAddress, parseCidr, parseIp } from './ipv4';

/**
 * A tenant network: one IPv4 CIDR (subnet and IPAM folded in), a gateway, a VLAN segment. It owns
 * its address allocations, so an address can never be handed out twice: every allocation is
 * decided against the whole list and appended with the stream's expected version.
 */
export type NetworkEvent =
  | DomainEvent<'NetworkCreated', { networkId: string; projectId: string; name: string; cidr: string; gateway: string; vlan: number; at: string }>
  | DomainEvent<'IpAllocated', { networkId: string; ip: string; portId: string; at: string }>
  | DomainEvent<'IpReleased', { networkId: string; ip: string; portId: string; at: string }>
  | DomainEvent<'NetworkDeleted', { networkId: string; projectId: string; vlan: number; at: string }>;

export type NetworkCommand =
  | { type: 'CreateNetwork'; networkId: string; projectId: string; name: string; cidr: string; gateway?: string; vlan: number; now: string }
  /** `ip` requests a fixed address; without it the lowest free address is taken. */
  | { type: 'AllocateIp'; portId: string; ip?: string; now: string }
  | { type: 'ReleaseIp'; portId: string; now: string }
  | { type: 'DeleteNetwork'; now: string };

export type NetworkState =
  | { status: 'absent' }
  | {
      status: 'active' | 'deleted';
      networkId: string;
      projectId: string;
      cidr: string;
      gateway: string;
      vlan: number;
      /** ip -> portId */
      allocations: BucketedMap<string>;
      /** portId -> ip (the same allocations, looked up by port) */
      addresses: BucketedMap<string>;
      /** No address below this one is free (where the search for the lowest free one starts). */
      freeFrom: number;
    };

export const networkStream = (networkId: string) => `network-${networkId}`;

/** The canonical CIDR and gateway (default: the first host address), or the reason they are unusable. */
export function networkLayout(cidrText: string, gatewayText?: string): { cidr: string; gateway: string } {
  const cidr = parseCidr(cidrText);
  const gateway = gatewayText === undefined ? cidr.network + 1 : parseIp(gatewayText);
  if (gateway === null || !isHostAddress(cidr, gateway)) {
    throw invalid('InvalidGateway', `Gateway ${gatewayText} is not a host address of ${cidr.text}`, [{ field: 'gateway', message: 'not in the CIDR' }]);
  }
  return { cidr: cidr.text, gateway: formatIp(gateway) };
}
export const VLAN_MIN = 2;
export const VLAN_MAX = 4094;

export const networkDecider: Decider<NetworkState, NetworkCommand, NetworkEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (command.type === 'CreateNetwork') {
      if (state.status !== 'absent') throw conflict('NetworkExists', `Network ${command.networkId} already exists`);
      const { cidr, gateway } = networkLayout(command.cidr, command.gateway);
      if (!Number.isInteger(command.vlan) || command.vlan < VLAN_MIN || command.vlan > VLAN_MAX) {
        throw invalid('InvalidVlan', `VLAN must be from ${VLAN_MIN} to ${VLAN_MAX}`, [{ field: 'vlan', message: 'out of range' }]);
      }
      const { networkId, projectId, name, vlan, now } = command;
      return [{ type: 'NetworkCreated', data: { networkId, projectId, name, cidr, gateway, vlan, at: now } }];
    }
    if (state.status !== 'active') throw notFound('NetworkNotFound', 'Network not found');
    switch (command.type) {
      case 'AllocateIp': {
        const existing = bucketedGet(state.addresses, command.portId);
        if (existing !== undefined) {
          if (command.ip === undefined || command.ip === existing) return []; // the same allocation again
          throw conflict('PortHasAddress', `Port ${command.portId} already has ${existing} on this network`);
        }
        const ip = command.ip === undefined ? lowestFree(state) : requested(state, command.ip);
        return [{ type: 'IpAllocated', data: { networkId: state.networkId, ip, portId: command.portId, at: command.now } }];
      }
      case 'ReleaseIp': {
        const held = bucketedGet(state.addresses, command.portId);
        if (held === undefined) return [];
        return [{ type: 'IpReleased', data: { networkId: state.networkId, ip: held, portId: command.portId, at: command.now } }];
      }
      case 'DeleteNetwork':
        if (state.allocations.size > 0) throw conflict('NetworkInUse', 'The network still has ports; delete them first');
        return [{ type: 'NetworkDeleted', data: { networkId: state.networkId, projectId: state.projectId, vlan: state.vlan, at: command.now } }];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'NetworkCreated': {
        const { networkId, projectId, cidr, gateway, vlan } = event.data;
        const created = {
          status: 'active' as const,
          networkId,
          projectId,
          cidr,
          gateway,
          vlan,
          allocations: emptyBucketedMap<string>(),
          addresses: emptyBucketedMap<string>(),
        };
        return { ...created, freeFrom: firstUntaken(created, (parseIp(cidr.split('/')[0]) ?? 0) + 1) };
      }
      case 'IpAllocated': {
        if (state.status === 'absent') return state;
        const { ip, portId } = event.data;
        const n = parseIp(ip);
        const next = { ...state, allocations: bucketedSet(state.allocations, ip, portId), addresses: bucketedSet(state.addresses, portId, ip) };
        return n === state.freeFrom ? { ...next, freeFrom: firstUntaken(next, n + 1) } : next;
      }
      case 'IpReleased': {
        if (state.status === 'absent') return state;
        const { ip, portId } = event.data;
        const n = parseIp(ip);
        return {
          ...state,
          allocations: bucketedDelete(state.allocations, ip),
          addresses: bucketedDelete(state.addresses, portId),
          freeFrom: n !== null && n < state.freeFrom ? n : state.freeFrom,
        };
      }
      case 'NetworkDeleted':
        return state.status === 'absent' ? state : { ...state, status: 'deleted' };
      default:
        return assertNever(event);
    }
  },
};

type ActiveNetwork = Extract<NetworkState, { status: 'active' | 'deleted' }>;

const cidrOf = (state: ActiveNetwork): Cidr => parseCidr(state.cidr);

/** The lowest free host address; the search starts at `freeFrom`, below which nothing is free. */
function lowestFree(state: ActiveNetwork): string {
  const cidr = cidrOf(state);
  for (let ip = Math.max(cidr.network + 1, state.freeFrom); ip < broadcast(cidr); ip++) {
    const text = formatIp(ip);
    if (text !== state.gateway && bucketedGet(state.allocations, text) === undefined) return text;
  }
  throw refused('NetworkFull', `No free address left in ${state.cidr}`);
}

/** The first address from `from` on that is neither the gateway nor allocated (the broadcast address at most). */
function firstUntaken(state: Pick<ActiveNetwork, 'gateway' | 'allocations'>, from: number): number {
  const gateway = parseIp(state.gateway);
  let ip = from;
  while (ip < 2 ** 32 - 1 && (ip === gateway || bucketedGet(state.allocations, formatIp(ip)) !== undefined)) ip++;
  return ip;
}

/** The address a port holds on the network, if any. */
export function addressOf(state: NetworkState, portId: string): string | undefined {
  return state.status === 'absent' ? undefined : bucketedGet(state.addresses, portId);
}

function requested(state: ActiveNetwork, text: string): string {
  const cidr = cidrOf(state);
  const ip = parseIp(text);
  if (ip === null || !isHostAddress(cidr, ip) || formatIp(ip) === state.gateway) {
    throw invalid('InvalidIp', `${text} is not an assignable address of ${state.cidr}`, [{ field: 'ip', message: 'not assignable' }]);
  }
  if (bucketedGet(state.allocations, formatIp(ip)) !== undefined) throw conflict('IpInUse', `${text} is already in use`);
  return formatIp(ip);
}
