import { Request } from 'express';

/** What the OpenStack APIs need of the configuration (ORCH_REGION, ORCH_REGIONS, ORCH_PUBLIC_URL, ORCH_TOKEN_TTL_SECONDS, ORCH_FLOATING_IP_POOL). */
export type OpenStackSettings = {
  region: string;
  /** The cloud's other regions and their base URLs, listed in the catalog beside this one. */
  otherRegions: ReadonlyArray<{ name: string; url: string }>;
  publicUrl: string | null;
  tokenTtlSeconds: number;
  /** ORCH_FLOATING_IP_POOL, shown to Neutron's clients as the external network. */
  floatingIpPool: string;
};
export const OPENSTACK_SETTINGS = Symbol('OpenStackSettings');

/** The base URL clients reach this server at: the configured public URL, else the scheme and Host they used. */
export function baseUrlOf(request: Request, settings: OpenStackSettings): string {
  return settings.publicUrl ?? `${request.protocol}://${request.get('host') ?? '127.0.0.1'}`;
}

/** Every region of the cloud with its base URL: this one at `base`, then the others (ORCH_REGIONS). */
export function regionsAt(base: string, settings: OpenStackSettings): ReadonlyArray<{ name: string; url: string }> {
  return [{ name: settings.region, url: base }, ...settings.otherRegions];
}
