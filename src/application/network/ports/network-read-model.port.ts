import { PortOfRouter } from '../../../domain/network/port/port.decider';
import { RouterInterface, RouterLeg } from '../../../domain/network/router/router.decider';
import { Subnet } from '../../../domain/network/network/subnet';
import { SecurityGroupRule } from '../../../domain/network/security-group/security-group.decider';
import { Page, PageRequest } from '../../shared/paging';

/** A subnet as the read model keeps it: as recorded, with the addresses in use and when it was made. */
export type SubnetRecord = Subnet & { usedIps: number; createdAt: string };
export type SubnetView = SubnetRecord & { networkId: string; projectId: string };

export type NetworkView = {
  id: string;
  projectId: string;
  name: string;
  /** The first subnet's CIDR and gateway (REST's one-CIDR shorthand); null without a subnet. */
  cidr: string | null;
  gateway: string | null;
  vlan: number;
  external: boolean;
  shared: boolean;
  subnets: SubnetView[];
  /** Always active in the read model; `deleted` only in a view rebuilt as of a past moment. */
  status: 'active' | 'deleted';
  usedIps: number;
  createdAt: string;
};

export type SecurityGroupView = {
  id: string;
  projectId: string;
  name: string;
  rules: SecurityGroupRule[];
  metadata: Record<string, string>;
  createdAt: string;
};

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
  name: string;
  mac: string;
  ip: string;
  instanceId: string | null;
  host: string | null;
  status: string;
  securityGroups: string[];
  /** Set on a router's leg. */
  router: PortOfRouter | null;
};

export type RouterView = {
  id: string;
  projectId: string;
  name: string;
  gateway: RouterLeg | null;
  interfaces: RouterInterface[];
  createdAt: string;
  updatedAt: string;
};

export interface NetworkReadModel {
  getNetwork(idOrName: string, projectId: string | null): Promise<NetworkView | null>;
  /** The network holding a subnet, of the project when given. */
  networkOfSubnet(subnetId: string, projectId: string | null): Promise<NetworkView | null>;
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
  listPortsOnNetworks(networkIds: readonly string[]): Promise<PortView[]>;
  listPortsInSecurityGroup(securityGroupId: string): Promise<PortView[]>;
  /** Groups with a rule naming a remote group. */
  groupsWithRemoteRules(): Promise<string[]>;
  getRouter(id: string): Promise<RouterView | null>;
  listRouters(projectId: string | null, page: PageRequest): Promise<Page<RouterView>>;
  /** Routers with an interface on one of these networks. */
  routersOnNetworks(networkIds: readonly string[]): Promise<RouterView[]>;
}
export const NETWORK_READ_MODEL = Symbol('NetworkReadModel');
