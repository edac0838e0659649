/** The VLAN ids tenant networks get when they do not ask for one (ORCH_VLAN_RANGE); the public pool floating IPs come from (ORCH_FLOATING_IP_POOL). */
export type NetworkSettings = { vlanMin: number; vlanMax: number; floatingIpPool: string };
export const NETWORK_SETTINGS = Symbol('NetworkSettings');
