import { Page, PageRequest } from '../identity/identity-read-model.port';

export type NetworkView = {
  id: string;
  projectId: string;
  name: string;
  cidr: string;
  gateway: string;
  vlan: number;
  status: 'active';
  usedIps: number;
  createdAt: string;
};

export interface NetworkReadModel {
  getNetwork(idOrName: string, projectId: string | null): Promise<NetworkView | null>;
  listNetworks(projectId: string | null, page: PageRequest): Promise<Page<NetworkView>>;
  /** VLANs held by live networks (a hint for allocation; the VLAN claim is the guarantee). */
  usedVlans(): Promise<number[]>;
}
export const NETWORK_READ_MODEL = Symbol('NetworkReadModel');
