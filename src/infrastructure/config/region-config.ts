import { ConfigError } from './config-values';

export type RegionEndpoint = { readonly name: string; readonly url: string };

/** Where this process sits among the cloud's regions (see the README's "Regions"). */
export type RegionConfig = {
  /** The region the Keystone catalog lists this deployment's endpoints in, named on every answer and event. */
  region: string;
  /** The PostgreSQL database of the identity every region shares; null: identity lives in this region's own store. */
  identityDatabaseUrl: string | null;
  /** The other regions the Keystone catalog lists, with their base URLs (ORCH_REGIONS); this region is always listed. */
  otherRegions: readonly RegionEndpoint[];
};

const REGION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function regionConfig(env: NodeJS.ProcessEnv, store: 'embedded' | 'postgres'): RegionConfig {
  const region = env.ORCH_REGION || 'RegionOne';
  if (!REGION_NAME.test(region)) throw new ConfigError(`ORCH_REGION must be 1 to 64 letters, digits, dots, dashes or underscores`);
  const identityDatabaseUrl = env.ORCH_IDENTITY_DATABASE_URL || null;
  if (identityDatabaseUrl && store !== 'postgres') throw new ConfigError('ORCH_IDENTITY_DATABASE_URL needs ORCH_STORE=postgres');
  const otherRegions = regionList(env.ORCH_REGIONS ?? '').filter((r) => r.name !== region);
  return { region, identityDatabaseUrl, otherRegions };
}

/** `ORCH_REGIONS`: `Name=http://base,Name=http://base`, comma separated. */
function regionList(raw: string): RegionEndpoint[] {
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const regions = entries.map((entry) => {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at);
    const url = entry.slice(at + 1).replace(/\/+$/, '');
    if (at < 1 || !REGION_NAME.test(name) || !isHttpUrl(url))
      throw new ConfigError(`ORCH_REGIONS entries must look like RegionTwo=http://host:8080, not "${entry}"`);
    return { name, url };
  });
  if (new Set(regions.map((r) => r.name)).size !== regions.length) throw new ConfigError('ORCH_REGIONS names a region twice');
  return regions;
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
