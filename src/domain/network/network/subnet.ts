import { invalid } from '../../shared/domain-error';
import { Cidr, broadcast, formatIp, isHostAddress, overlaps, parseCidr, parseIp } from './ipv4';

export type AddressRange = { start: string; end: string };
export type HostRoute = { destination: string; nexthop: string };

/** An IPv4 subnet of a network, as recorded: its CIDR, gateway (or none), pools and what DHCP would hand out. */
export type Subnet = {
  subnetId: string;
  name: string;
  cidr: string;
  gateway: string | null;
  allocationPools: AddressRange[];
  enableDhcp: boolean;
  dnsNameservers: string[];
  hostRoutes: HostRoute[];
};

/** What a caller asks for: a CIDR, the rest defaulted (`gateway: null` asks for no gateway, absent for the first host address). */
export type SubnetRequest = { subnetId: string; cidr: string } & Partial<Omit<Subnet, 'subnetId' | 'cidr'>>;

/** Where a subnet's fields are named in errors (REST's `cidr`, Neutron's `subnet.cidr`). */
const field = (name: string) => ({ field: name, message: 'invalid' });

function address(text: string, cidr: Cidr, name: string): number {
  const ip = parseIp(text);
  if (ip === null || !isHostAddress(cidr, ip)) throw invalid('InvalidAddress', `${text} is not a host address of ${cidr.text}`, [field(name)]);
  return ip;
}

/** The subnet a request describes, with defaults: gateway the first host, one pool of every other host address. */
export function subnetLayout(request: SubnetRequest): Subnet {
  const cidr = parseCidr(request.cidr);
  let gateway: number | null = null;
  if (request.gateway !== null) {
    gateway = request.gateway === undefined ? cidr.network + 1 : parseIp(request.gateway);
    if (gateway === null || !isHostAddress(cidr, gateway)) {
      throw invalid('InvalidGateway', `Gateway ${request.gateway} is not a host address of ${cidr.text}`, [{ field: 'gateway', message: 'not in the CIDR' }]);
    }
  }
  const pools = request.allocationPools?.length ? request.allocationPools.map((p) => checkedPool(p, cidr, gateway)) : defaultPools(cidr, gateway);
  for (const [i, a] of pools.entries()) {
    for (const b of pools.slice(i + 1)) {
      if (a.start <= b.end && b.start <= a.end) throw invalid('OverlappingPools', 'Allocation pools overlap', [field('allocation_pools')]);
    }
  }
  for (const dns of request.dnsNameservers ?? []) {
    if (parseIp(dns) === null) throw invalid('InvalidAddress', `${dns} is not an IPv4 address`, [field('dns_nameservers')]);
  }
  for (const route of request.hostRoutes ?? []) {
    parseCidr(route.destination, { minPrefix: 0, maxPrefix: 32, field: 'host_routes' });
    if (parseIp(route.nexthop) === null) throw invalid('InvalidAddress', `${route.nexthop} is not an IPv4 address`, [field('host_routes')]);
  }
  return {
    subnetId: request.subnetId,
    name: request.name ?? '',
    cidr: cidr.text,
    gateway: gateway === null ? null : formatIp(gateway),
    allocationPools: pools.map((p) => ({ start: formatIp(p.start), end: formatIp(p.end) })),
    enableDhcp: request.enableDhcp ?? true,
    dnsNameservers: [...(request.dnsNameservers ?? [])],
    hostRoutes: (request.hostRoutes ?? []).map((r) => ({ ...r })),
  };
}

type NumericRange = { start: number; end: number };

function checkedPool(pool: AddressRange, cidr: Cidr, gateway: number | null): NumericRange {
  const start = address(pool.start, cidr, 'allocation_pools');
  const end = address(pool.end, cidr, 'allocation_pools');
  if (end < start) throw invalid('InvalidPool', `Pool ${pool.start}-${pool.end} ends before it starts`, [field('allocation_pools')]);
  if (gateway !== null && gateway >= start && gateway <= end) {
    throw invalid('GatewayInPool', `The gateway ${formatIp(gateway)} is inside the pool ${pool.start}-${pool.end}`, [field('allocation_pools')]);
  }
  return { start, end };
}

/** Every host address but the gateway, as one or two ranges. */
function defaultPools(cidr: Cidr, gateway: number | null): NumericRange[] {
  const first = cidr.network + 1;
  const last = broadcast(cidr) - 1;
  if (gateway === null) return [{ start: first, end: last }];
  return [
    { start: first, end: gateway - 1 },
    { start: gateway + 1, end: last },
  ].filter((r) => r.start <= r.end);
}

export const subnetCidr = (subnet: Pick<Subnet, 'cidr'>): Cidr => parseCidr(subnet.cidr);

export const containsAddress = (subnet: Pick<Subnet, 'cidr'>, ip: number) => isHostAddress(subnetCidr(subnet), ip);

export const subnetsOverlap = (a: Pick<Subnet, 'cidr'>, b: Pick<Subnet, 'cidr'>) => overlaps(subnetCidr(a), subnetCidr(b));

/** The pools as numbers, in order. */
export const poolRanges = (subnet: Subnet): NumericRange[] =>
  subnet.allocationPools.map((p) => ({ start: parseIp(p.start) as number, end: parseIp(p.end) as number })).sort((a, b) => a.start - b.start);

/** The subnet a network shorthand (one CIDR, created before subnets existed) stands for; its id follows from the network's. */
export const legacySubnetId = (networkId: string) => `subnet-${networkId.replace(/^net-/, '')}`;
