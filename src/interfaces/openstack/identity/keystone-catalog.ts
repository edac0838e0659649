import { createHash } from 'node:crypto';

/** One service of the catalog: its type, its name (libcloud looks services up by name) and its path under the base URL. */
const SERVICES = [
  { type: 'identity', name: 'keystone', path: '/identity' },
  { type: 'compute', name: 'nova', path: '/compute/v2.1' },
  // Unversioned: novaclient and the SDK append /v2 and /v2.0 themselves (a versioned URL doubles them).
  { type: 'image', name: 'glance', path: '/image' },
  { type: 'network', name: 'neutron', path: '/network' },
  // Cinder under both of its types (keystoneauth aliases them), with the project in the path as cinderclient expects.
  { type: 'volumev3', name: 'cinderv3', path: '/volume/v3/{project}' },
  { type: 'block-storage', name: 'cinder', path: '/volume/v3/{project}' },
  // The EC2 Query API, as devstack's ec2-api lists it, for tools that find EC2 through the catalog.
  { type: 'ec2', name: 'ec2', path: '/ec2' },
] as const;

const INTERFACES = ['public', 'internal', 'admin'] as const;

/** A stable id for a catalog entry, so that the same cloud always shows the same ids. */
const idOf = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);

/** The Keystone catalog of a token's project: every service with public, internal and admin endpoints in each region, at its URL. */
export function keystoneCatalog(regions: ReadonlyArray<{ name: string; url: string }>, projectId: string) {
  return SERVICES.map((s) => ({
    id: idOf(s.type),
    type: s.type,
    name: s.name,
    endpoints: regions.flatMap((r) =>
      INTERFACES.map((i) => ({
        id: idOf(s.type, i, r.name),
        interface: i,
        region_id: r.name,
        region: r.name,
        url: `${r.url}${s.path.replace('{project}', projectId)}`,
      })),
    ),
  }));
}
