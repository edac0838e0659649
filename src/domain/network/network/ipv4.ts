import { invalid } from '../../shared/domain-error';

/** IPv4 arithmetic on 32-bit unsigned integers; no I/O, no dependencies. */

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIp(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export const formatIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

export type Cidr = { readonly network: number; readonly prefix: number; readonly text: string };

/** Smallest and largest prefixes a tenant network may have: /16 (65,534 hosts) to /29 (6 hosts). */
export const MIN_PREFIX = 16;
export const MAX_PREFIX = 29;
const TENANT_NETWORK = { minPrefix: MIN_PREFIX, maxPrefix: MAX_PREFIX, field: 'cidr' };

/** A tenant network's CIDR by default; other uses (security rules, address pools) widen the prefix range. */
export function parseCidr(text: string, bounds: { minPrefix: number; maxPrefix: number; field: string } = TENANT_NETWORK): Cidr {
  const { minPrefix, maxPrefix, field } = bounds;
  const match = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  const ip = match ? parseIp(match[1]) : null;
  const prefix = match ? Number(match[2]) : NaN;
  if (ip === null || !Number.isInteger(prefix) || prefix < minPrefix || prefix > maxPrefix) {
    throw invalid('InvalidCidr', `"${text}" is not an IPv4 CIDR with a prefix from /${minPrefix} to /${maxPrefix}`, [{ field, message: 'invalid CIDR' }]);
  }
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0) {
    throw invalid('InvalidCidr', `"${text}" has host bits set; did you mean ${formatIp(ip - (ip % size))}/${prefix}?`, [{ field, message: 'host bits set' }]);
  }
  return { network: ip, prefix, text: `${formatIp(ip)}/${prefix}` };
}

export const cidrSize = (c: Cidr) => 2 ** (32 - c.prefix);
export const broadcast = (c: Cidr) => c.network + cidrSize(c) - 1;

/** Host addresses: everything but the network and broadcast addresses. */
export const isHostAddress = (c: Cidr, ip: number) => ip > c.network && ip < broadcast(c);

export const overlaps = (a: Cidr, b: Cidr) => a.network <= broadcast(b) && b.network <= broadcast(a);
