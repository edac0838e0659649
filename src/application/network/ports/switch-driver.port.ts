import { SecurityRule } from '../../../domain/network/security-group/security-group.decider';

export type { SecurityRule };
/** A network segment on a host's integration bridge (OVS: a VLAN plus a gateway port). */
export type SegmentSpec = { networkId: string; vlan: number; cidr: string; gateway: string | null };

export type PortSpec = { portId: string; networkId: string; vlan: number; mac: string; ip: string; instanceId: string };

/**
 * A floating IP as a switch maps it: the public address to the port's fixed one, in the namespace
 * of the router that serves the port's subnet with a gateway. Without such a router it is only
 * recorded on the port: nothing can carry its packets.
 */
export type FloatingNat = { floatingIp: string; fixedIp: string; routerId: string | null };

/** A plugged port; `instanceId` is the owner it was plugged for (OVS: external_ids:vm-id), null when it carries none. */
export type ActualPort = { portId: string; instanceId: string | null; vlan: number; mac: string; rules: SecurityRule[]; nat: FloatingNat | null };

/** A router's leg on a host: an interface (its subnet's gateway address) or its gateway on an external network, as `ip/prefix`. */
export type RouterLegSpec = { portId: string; kind: 'interface' | 'gateway'; vlan: number; address: string };
/** A router on a host (OVS: a network namespace with a leg per subnet and one outside, SNAT to its gateway address); `upstream` is its default route. */
export type RouterSpec = { routerId: string; legs: RouterLegSpec[]; upstream: string | null };

/** One host's virtual switch. Every call is idempotent. */
export interface SwitchDriver {
  ensureSegment(segment: SegmentSpec): Promise<void>;
  removeSegment(networkId: string): Promise<void>;
  plugPort(port: PortSpec): Promise<void>;
  unplugPort(portId: string): Promise<void>;
  /** Replaces the port's rules (OVS: its OpenFlow rules), all at once. */
  applySecurityRules(portId: string, rules: SecurityRule[]): Promise<void>;
  /** Maps a public address to the port's fixed address (OVS: DNAT/SNAT in its router's namespace), or removes the mapping with null. */
  setFloatingIp(portId: string, nat: FloatingNat | null): Promise<void>;
  listPorts(): Promise<ActualPort[]>;
  listSegments(): Promise<SegmentSpec[]>;
  /** Makes the router on this host exactly its spec (legs added and removed, upstream route, SNAT); its floating IPs stay. */
  ensureRouter(router: RouterSpec): Promise<void>;
  removeRouter(routerId: string): Promise<void>;
  /** The routers present, their legs as found (a leg without its address counts as missing). */
  listRouters(): Promise<RouterSpec[]>;
}
