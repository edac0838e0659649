import { NetworkOptions, NewSubnet } from '../../../application/network/commands/create-network.command';
import { invalid } from '../../../domain/shared/domain-error';
import { isObject } from '../shared/openstack-body';

/** The member of a Neutron body (`{"network": {...}}`), or 400. */
export function memberOf(body: unknown, name: string): Record<string, unknown> {
  const member = isObject(body) ? body[name] : undefined;
  if (!isObject(member)) throw invalid('BadRequest', `Expected {"${name}": {...}}`);
  return member;
}

const text = (value: unknown, field: string, fallback = ''): string => {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw invalid('BadRequest', `${field} must be a string`);
  return value;
};

const flag = (value: unknown, field: string): boolean | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalid('BadRequest', `${field} must be true or false`);
  return value;
};

function list<T>(value: unknown, field: string, item: (v: unknown) => T): T[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid('BadRequest', `${field} must be a list`);
  return value.map(item);
}

/** A network's name and what only an admin may ask (external, shared, a VLAN as the segmentation id). */
export function networkRequest(body: unknown): { name: string; options: NetworkOptions } {
  const n = memberOf(body, 'network');
  const vlan = n['provider:segmentation_id'];
  if (vlan !== undefined && vlan !== null && !Number.isInteger(vlan)) throw invalid('BadRequest', 'provider:segmentation_id must be an integer');
  if (n['provider:network_type'] !== undefined && n['provider:network_type'] !== 'vlan') throw invalid('BadRequest', 'Only VLAN networks exist here');
  return {
    name: text(n.name, 'name'),
    options: { external: flag(n['router:external'], 'router:external'), shared: flag(n.shared, 'shared'), vlan: (vlan as number | null) ?? undefined },
  };
}

/** A subnet of a network (IPv4 only). */
export function subnetRequest(body: unknown): { networkId: string; subnet: NewSubnet } {
  const s = memberOf(body, 'subnet');
  if (s.ip_version !== undefined && s.ip_version !== 4) throw invalid('BadRequest', 'Only IPv4 subnets (ip_version 4) exist here');
  if (typeof s.network_id !== 'string') throw invalid('BadRequest', 'network_id is required');
  if (typeof s.cidr !== 'string') throw invalid('BadRequest', 'cidr is required (subnet pools do not exist here)');
  const pool = (v: unknown) => {
    if (!isObject(v) || typeof v.start !== 'string' || typeof v.end !== 'string') throw invalid('BadRequest', 'allocation_pools are {start, end}');
    return { start: v.start, end: v.end };
  };
  const route = (v: unknown) => {
    if (!isObject(v) || typeof v.destination !== 'string' || typeof v.nexthop !== 'string')
      throw invalid('BadRequest', 'host_routes are {destination, nexthop}');
    return { destination: v.destination, nexthop: v.nexthop };
  };
  const gateway = s.gateway_ip === null ? null : s.gateway_ip === undefined ? undefined : text(s.gateway_ip, 'gateway_ip');
  return {
    networkId: s.network_id,
    subnet: {
      name: text(s.name, 'name'),
      cidr: s.cidr,
      gateway,
      allocationPools: list(s.allocation_pools, 'allocation_pools', pool),
      enableDhcp: flag(s.enable_dhcp, 'enable_dhcp'),
      dnsNameservers: list(s.dns_nameservers, 'dns_nameservers', (v) => text(v, 'dns_nameservers')),
      hostRoutes: list(s.host_routes, 'host_routes', route),
    },
  };
}

/** A router's name and gateway: `external_gateway_info` absent leaves it, `{network_id}` sets it, null or `{}` clears it. */
export function routerRequest(body: unknown): { name?: string; gateway?: string | null } {
  const r = memberOf(body, 'router');
  const info = r.external_gateway_info;
  let gateway: string | null | undefined;
  if (info === null || (isObject(info) && info.network_id === undefined)) gateway = null;
  else if (isObject(info)) gateway = text(info.network_id, 'external_gateway_info.network_id');
  else if (info !== undefined) throw invalid('BadRequest', 'external_gateway_info must be {"network_id": ...} or null');
  return { ...(r.name !== undefined ? { name: text(r.name, 'name') } : {}), ...(gateway !== undefined ? { gateway } : {}) };
}

/** The subnet (or port) of an `add_router_interface` / `remove_router_interface` body. */
export function interfaceRequest(body: unknown): { subnetId?: string; portId?: string } {
  if (!isObject(body)) throw invalid('BadRequest', 'Expected {"subnet_id": ...} or {"port_id": ...}');
  const subnetId = body.subnet_id === undefined ? undefined : text(body.subnet_id, 'subnet_id');
  const portId = body.port_id === undefined ? undefined : text(body.port_id, 'port_id');
  if (!subnetId && !portId) throw invalid('BadRequest', 'Either subnet_id or port_id is required');
  return { subnetId, portId };
}

/** A port to make: its network, a name, at most one fixed address (by subnet and/or address), its security groups. */
export function portRequest(body: unknown): { networkId: string; name: string; subnetId?: string; ip?: string; securityGroups?: string[] } {
  const p = memberOf(body, 'port');
  if (typeof p.network_id !== 'string') throw invalid('BadRequest', 'network_id is required');
  const fixed = list(p.fixed_ips, 'fixed_ips', (v) => {
    if (!isObject(v)) throw invalid('BadRequest', 'fixed_ips are {subnet_id, ip_address}');
    return {
      subnetId: v.subnet_id === undefined ? undefined : text(v.subnet_id, 'subnet_id'),
      ip: v.ip_address === undefined ? undefined : text(v.ip_address, 'ip_address'),
    };
  });
  if (fixed && fixed.length > 1) throw invalid('BadRequest', 'A port has one fixed address here');
  const securityGroups = list(p.security_groups, 'security_groups', (v) => text(v, 'security_groups'));
  return {
    networkId: p.network_id,
    name: text(p.name, 'name'),
    ...(fixed?.[0]?.subnetId ? { subnetId: fixed[0].subnetId } : {}),
    ...(fixed?.[0]?.ip ? { ip: fixed[0].ip } : {}),
    ...(securityGroups ? { securityGroups } : {}),
  };
}
