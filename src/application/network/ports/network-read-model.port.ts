import { SecurityGroupRule } from '../../../domain/network/security-group/security-group.decider';
import { Page, PageRequest } from '../../shared/paging';

export type NetworkView = {
  id: string;
  projectId: string;
  name: string;
  cidr: string;
  gateway: string;
  vlan: number;
  /** Always active in the read model; `deleted` only in a view rebuilt as of a past moment. */
  status: 'active' | 'deleted';
  usedIps: number;
  createdAt: string;
};

export type SecurityGroupView = { id: string; projectId: string; name: string; rules: SecurityGroupRule[]; createdAt: string };

export type FloatingIpView = {
  id: string;
  projectId: string;
  address: string;
  instanceId: string | null;
  portId: string | null;
  fixedIp: string | null;
  createdAt: string;
};

export type PortView = {
  id: string;
  projectId: string;
  networkId: string;
  mac: string;
  ip: string;
  instanceId: string | null;
  host: string | null;
  status: string;
  securityGroups: string[];
};

export interface NetworkReadModel {
  getNetwork(idOrName: string, projectId: string | null): Promise<NetworkView | null>;
  listNetworks(projectId: string | null, page: PageRequest): Promise<Page<NetworkView>>;
  /** VLANs held by live networks (a hint for allocation; the VLAN claim is the guarantee). */
  usedVlans(): Promise<number[]>;
  /** By id, or by name within `projectId`. */
  getSecurityGroup(idOrName: string, projectId: string | null): Promise<SecurityGroupView | null>;
  listSecurityGroups(projectId: string | null, page: PageRequest): Promise<Page<SecurityGroupView>>;
  getFloatingIp(id: string): Promise<FloatingIpView | null>;
  listFloatingIps(projectId: string | null, page: PageRequest): Promise<Page<FloatingIpView>>;
  /** Addresses held by allocated floating IPs (a hint for allocation; the address claim is the guarantee). */
  usedFloatingAddresses(): Promise<string[]>;
  floatingIpsOf(where: { instanceId: string } | { portIds: readonly string[] }): Promise<FloatingIpView[]>;
  getPort(id: string): Promise<PortView | null>;
  listPorts(projectId: string | null, page: PageRequest): Promise<Page<PortView>>;
  listPortsOnHost(hostId: string): Promise<PortView[]>;
  listPortsInSecurityGroup(securityGroupId: string): Promise<PortView[]>;
}
export const NETWORK_READ_MODEL = Symbol('NetworkReadModel');
