/** A network segment on a host's integration bridge (OVS: a VLAN plus a gateway port). */
export type SegmentSpec = { networkId: string; vlan: number; cidr: string; gateway: string };

export type SecurityRule = {
  direction: 'ingress' | 'egress';
  protocol: 'tcp' | 'udp' | 'icmp' | 'any';
  portMin: number | null;
  portMax: number | null;
  cidr: string;
};

export type PortSpec = { portId: string; networkId: string; vlan: number; mac: string; ip: string; instanceId: string };

export type ActualPort = { portId: string; vlan: number; mac: string; rules: SecurityRule[] };

/** One host's virtual switch. Every call is idempotent. */
export interface SwitchDriver {
  ensureSegment(segment: SegmentSpec): Promise<void>;
  removeSegment(networkId: string): Promise<void>;
  plugPort(port: PortSpec): Promise<void>;
  unplugPort(portId: string): Promise<void>;
  /** Replaces the port's rules (OVS: its OpenFlow rules), all at once. */
  applySecurityRules(portId: string, rules: SecurityRule[]): Promise<void>;
  listPorts(): Promise<ActualPort[]>;
  listSegments(): Promise<SegmentSpec[]>;
}
