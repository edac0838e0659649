/**
 * The VLAN ids tenant networks get when they do not ask for one (ORCH_VLAN_RANGE); the public pool
 * floating IPs come from (ORCH_FLOATING_IP_POOL); security groups whose rule changes are carried
 * to their ports at the same time (ORCH_SECURITY_GROUP_CONCURRENCY).
 */
export type NetworkSettings = { vlanMin: number; vlanMax: number; floatingIpPool: string; securityGroupConcurrency: number };
export const NETWORK_SETTINGS = Symbol('NetworkSettings');
