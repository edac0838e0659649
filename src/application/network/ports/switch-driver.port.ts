import { SecurityRule } from '../../../domain/network/security-group/security-group.decider';

export type { SecurityRule };
/** A network segment on a host's integration bridge (OVS: a VLAN plus a gateway port). */
export type SegmentSpec = { networkId: string; vlan: number; cidr: string; gateway: string | null };

export type PortSpec = { portId: string; networkId: string; vlan: number; mac: string; ip: string; instanceId: string };

/** A plugged port; `instanceId` is the owner it was plugged for (OVS: external_ids:vm-id), null when it carries none. */
export type ActualPort = { portId: string; instanceId: string | null; vlan: number; mac: string; rules: SecurityRule[]; floatingIp: string | null };

/** One host's virtual switch. Every call is idempotent. */
export interface SwitchDriver {
  ensureSegment(segment: SegmentSpec): Promise<void>;
  removeSegment(networkId: string): Promise<void>;
  plugPort(port: PortSpec): Promise<void>;
  unplugPort(portId: string): Promise<void>;
  /** Replaces the port's rules (OVS: its OpenFlow rules), all at once. */
  applySecurityRules(portId: string, rules: SecurityRule[]): Promise<void>;
  /** Maps a public address to the port's fixed address (OVS: 1:1 NAT flows), or removes the mapping with null. */
  setFloatingIp(portId: string, floatingIp: string | null): Promise<void>;
  listPorts(): Promise<ActualPort[]>;
  listSegments(): Promise<SegmentSpec[]>;
}
