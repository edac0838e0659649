/** The VLAN ids tenant networks get when they do not ask for one (ORCH_VLAN_RANGE). */
export type NetworkSettings = { vlanMin: number; vlanMax: number };
export const NETWORK_SETTINGS = Symbol('NetworkSettings');
