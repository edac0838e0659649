/**
 * The VLAN ids tenant networks get when they do not ask for one (ORCH_VLAN_RANGE); the public pool
 * floating IPs come from (ORCH_FLOATING_IP_POOL); security groups whose rule changes are carried
 * to their ports at the same time (ORCH_SECURITY_GROUP_CONCURRENCY); the VLAN the pool's external
 * network has on the hosts' bridges, where routers have their gateway legs (ORCH_EXTERNAL_VLAN).
 */
export type NetworkSettings = { vlanMin: number; vlanMax: number; floatingIpPool: string; securityGroupConcurrency: number; externalVlan: number };
export const NETWORK_SETTINGS = Symbol('NetworkSettings');
