import { nameKey } from '../shared/unique-names';

/** Claim streams that keep a VLAN, a network name in its project and a floating address to one owner each. */
export const vlanStream = (vlan: number) => `vlan-${vlan}`;
export const networkNameStream = (projectId: string, name: string) => `name-network-${projectId}-${nameKey(name)}`;
export const groupNameStream = (projectId: string, name: string) => `name-security-group-${projectId}-${nameKey(name)}`;
export const addressStream = (address: string) => `floating-address-${address}`;

/** What the network and floating-IP quotas are reserved for. */
export const networkReservation = (networkId: string) => `network:${networkId}`;
export const floatingIpReservation = (floatingIpId: string) => `floating-ip:${floatingIpId}`;
