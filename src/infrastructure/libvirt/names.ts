import { createHash } from 'node:crypto';

/**
 * Names the real drivers derive from the orchestrator's ids, so that the hypervisor, the switch
 * and the block storage agree on them without a table: a domain per instance, a tap per port
 * (Linux allows 15 characters: "tap" and 11 hex digits, as Neutron does), a gateway port per VLAN.
 */
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

export const DOMAIN_PREFIX = 'orch-';
export const domainName = (instanceId: string) => `${DOMAIN_PREFIX}${instanceId}`;
export const instanceOfDomain = (name: string) => (name.startsWith(DOMAIN_PREFIX) ? name.slice(DOMAIN_PREFIX.length) : null);

/** A stable RFC 4122 UUID (version 5 layout) for an instance: libvirt wants one per domain. */
export function domainUuid(instanceId: string): string {
  const h = digest(`orchestrator-instance:${instanceId}`);
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const tapName = (portId: string) => `tap${digest(portId).slice(0, 11)}`;
/** A router's leg on the bridge ("qr" and 11 hex digits of its port's id). */
export const routerLegName = (portId: string) => `qr${digest(portId).slice(0, 11)}`;
export const gatewayPortName = (vlan: number) => `gw${vlan}`;
/** The OpenFlow cookie that marks a port's flows (63 bits, so it stays a positive decimal). */
export const flowCookie = (portId: string) => `0x${(BigInt(`0x${digest(portId).slice(0, 16)}`) & 0x7fffffffffffffffn).toString(16)}`;
