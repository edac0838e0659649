import { POOL_NETWORK_ID } from '../../../application/network/floating-pool';
import { NetworkView, RouterView, SubnetView } from '../../../application/network/ports/network-read-model.port';
import { parseIp } from '../../../domain/network/network/ipv4';
import { containsAddress } from '../../../domain/network/network/subnet';

export const EXTERNAL_NETWORK_ID = POOL_NETWORK_ID;

export const neutronNetwork = (n: NetworkView, admin: boolean) => ({
  id: n.id,
  name: n.name,
  tenant_id: n.projectId,
  project_id: n.projectId,
  status: 'ACTIVE',
  admin_state_up: true,
  shared: n.shared,
  subnets: n.subnets.map((s) => s.subnetId),
  mtu: 1500,
  'router:external': n.external,
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
  ...(admin
    ? {
        'provider:network_type': n.vlan ? 'vlan' : 'flat',
        'provider:physical_network': n.vlan ? 'tenant' : 'public',
        'provider:segmentation_id': n.vlan || null,
      }
    : {}),
});

export const neutronSubnet = (s: SubnetView) => ({
  id: s.subnetId,
  name: s.name,
  network_id: s.networkId,
  tenant_id: s.projectId,
  project_id: s.projectId,
  ip_version: 4,
  cidr: s.cidr,
  gateway_ip: s.gateway,
  enable_dhcp: s.enableDhcp,
  allocation_pools: s.allocationPools,
  dns_nameservers: s.dnsNameservers,
  host_routes: s.hostRoutes,
  ipv6_address_mode: null,
  ipv6_ra_mode: null,
  subnetpool_id: null,
  service_types: [],
  description: '',
  tags: [],
  revision_number: 0,
  created_at: s.createdAt,
  updated_at: s.createdAt,
});

/** The subnet of a network an address is on ('' when the network is not among those given). */
export function subnetIdFor(networks: ReadonlyMap<string, NetworkView>, networkId: string, ip: string): string {
  const n = parseIp(ip);
  const subnet = n === null ? undefined : networks.get(networkId)?.subnets.find((s) => containsAddress(s, n));
  return subnet?.subnetId ?? '';
}

export const neutronRouter = (r: RouterView, networks: ReadonlyMap<string, NetworkView>) => ({
  id: r.id,
  name: r.name,
  tenant_id: r.projectId,
  project_id: r.projectId,
  status: 'ACTIVE',
  admin_state_up: true,
  external_gateway_info: r.gateway
    ? {
        network_id: r.gateway.networkId,
        enable_snat: true,
        external_fixed_ips: [{ subnet_id: subnetIdFor(networks, r.gateway.networkId, r.gateway.ip), ip_address: r.gateway.ip }],
      }
    : null,
  routes: [],
  distributed: false,
  ha: false,
  availability_zones: ['nova'],
  availability_zone_hints: [],
  flavor_id: null,
  description: '',
  tags: [],
  revision_number: 0,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});
