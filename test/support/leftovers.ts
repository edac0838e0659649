import { Api, InstanceView, listAll } from './cluster-cloud';
import { readSimulatedState } from './simulated-state';

/** What the simulated hosts and the orchestrator's books hold beyond (orphans) or short of (missing) the active instances. */
export type Leftovers = { orphans: string[]; missing: string[] };

const difference = (what: string, held: string[], wanted: string[]): { extra: string[]; short: string[] } => {
  const want = new Set(wanted);
  const have = new Set(held);
  return {
    extra: held.filter((h) => !want.has(h)).map((h) => `${what} ${h}`),
    short: wanted.filter((w) => !have.has(w)).map((w) => `${what} ${w}`),
  };
};

const count = (what: string, held: number, wanted: number): { extra: string[]; short: string[] } => ({
  extra: held > wanted ? [`${held - wanted} ${what} too many`] : [],
  short: held < wanted ? [`${wanted - held} ${what} too few`] : [],
});

/**
 * Compares the hosts (domains, switch ports, volumes in `stateDir`) and the books (claimed vCPUs,
 * network addresses, ports, quota) with the active instances of the admin project's network `net`.
 */
export async function leftovers(stateDir: string, admin: Api, instances: InstanceView[]): Promise<Leftovers> {
  const active = instances.filter((i) => i.state === 'active');
  const actual = readSimulatedState(stateDir);
  const project = (await admin.get('/v1/projects')).body.items[0].id;
  const hosts = (await admin.get('/v1/hosts')).body.items as Array<{ used: { vcpus: number } }>;
  const comparisons = [
    difference(
      'domain',
      Object.values(actual.hypervisors)
        .flat()
        .filter((d) => d.power === 'running')
        .map((d) => d.spec.instanceId),
      active.map((i) => i.id),
    ),
    difference(
      'stopped domain',
      Object.values(actual.hypervisors)
        .flat()
        .filter((d) => d.power !== 'running')
        .map((d) => d.spec.instanceId),
      [],
    ),
    difference(
      'switch port',
      Object.values(actual.switches).flatMap((s) => s.ports.map((p) => p.portId)),
      active.flatMap((i) => i.addresses.map((a) => a.portId)),
    ),
    difference(
      'volume',
      actual.storage.volumes.map((v) => v.volumeId),
      active.flatMap((i) => i.volumes),
    ),
    count(
      'claimed vCPUs',
      hosts.reduce((sum, h) => sum + h.used.vcpus, 0),
      active.length,
    ),
    count('addresses', (await admin.get('/v1/networks/net')).body.usedIps, active.length),
    count('ports', (await listAll(admin, '/v1/ports')).length, active.length),
    count('instances in quota', (await admin.get(`/v1/projects/${project}/usage`)).body.instances.used, active.length),
  ];
  return { orphans: comparisons.flatMap((c) => c.extra), missing: comparisons.flatMap((c) => c.short) };
}
