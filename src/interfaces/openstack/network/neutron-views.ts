import { NetworkView } from '../../../application/network/ports/network-read-model.port';
import { broadcast, formatIp, parseCidr, parseIp } from '../../../domain/network/network/ipv4';

/** Each of our networks has one IPv4 subnet; it shares the network's id, with the `subnet-` prefix. */
export const subnetIdOf = (networkId: string) => networkId.replace(/^net-/, 'subnet-');
export const networkIdOfSubnet = (subnetId: string) => subnetId.replace(/^subnet-/, 'net-');

export const neutronNetwork = (n: NetworkView, admin: boolean) => ({
  id: n.id,
  name: n.name,
  tenant_id: n.projectId,
  project_id: n.projectId,
  status: 'ACTIVE',
  admin_state_up: true,
  shared: false,
  subnets: [subnetIdOf(n.id)],
  mtu: 1500,
  'router:external': n.id === EXTERNAL_NETWORK_ID,
  port_security_enabled: true,
  availability_zones: ['nova'],
  availability_zone_hints: [],
  ipv4_address_scope: null,
  ipv6_address_scope: null,
  description: '',
  tags: [],
  revision_number: 0,
  created_at: n.createdAt,
  updated_at: n.createdAt,
  ...(admin ? { 'provider:network_type': 'vlan', 'provider:physical_network': 'tenant', 'provider:segmentation_id': n.vlan } : {}),
});

export const EXTERNAL_NETWORK_ID = 'net-external';

/** The floating-IP pool as an external network (its first host address is the router's, as the pool keeps it). */
export function externalNetwork(pool: string): NetworkView {
  const cidr = parseCidr(pool, { minPrefix: 0, maxPrefix: 32, field: 'pool' });
  return {
    id: EXTERNAL_NETWORK_ID,
    projectId: '',
    name: 'public',
    cidr: pool,
    gateway: formatIp(cidr.network + 1),
    vlan: 0,
    status: 'active',
    usedIps: 0,
    createdAt: '1970-01-01T00:00:00.000Z',
  };
}

/** The addresses ports get: every host address of the CIDR but the gateway (a pool on either side of it). */
function allocationPools(cidrText: string, gatewayText: string) {
  const cidr = parseCidr(cidrText, { minPrefix: 0, maxPrefix: 32, field: 'cidr' });
  const gateway = parseIp(gatewayText) as number;
  const first = cidr.network + 1;
  const last = broadcast(cidr) - 1;
  const pools = [
    [first, gateway - 1],
    [gateway + 1, last],
  ].filter(([start, end]) => start <= end);
  return pools.map(([start, end]) => ({ start: formatIp(start), end: formatIp(end) }));
}

export const neutronSubnet = (n: NetworkView) => ({
  id: subnetIdOf(n.id),
  name: n.name,
  network_id: n.id,
  tenant_id: n.projectId,
  project_id: n.projectId,
  ip_version: 4,
  cidr: n.cidr,
  gateway_ip: n.gateway,
  enable_dhcp: true,
  allocation_pools: allocationPools(n.cidr, n.gateway),
  dns_nameservers: [],
  host_routes: [],
  ipv6_address_mode: null,
  ipv6_ra_mode: null,
  subnetpool_id: null,
  service_types: [],
  description: '',
  tags: [],
  revision_number: 0,
  created_at: n.createdAt,
  updated_at: n.createdAt,
});
