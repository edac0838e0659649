import request from 'supertest';
import { readSimulatedState } from './simulated-state';

/** REST calls to one base URL (an orchestrator or the load balancer in front of several) with a bearer token. */
export type Api = {
  get(path: string): Promise<request.Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<request.Response>;
  patch(path: string, body: unknown): Promise<request.Response>;
  delete(path: string): Promise<request.Response>;
};

export function api(url: string, token?: string): Api {
  const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  return {
    get: (path) => request(url).get(path).set(auth),
    post: (path, body, headers = {}) =>
      request(url)
        .post(path)
        .set({ ...auth, ...headers })
        .send(body as object),
    patch: (path, body) =>
      request(url)
        .patch(path)
        .set(auth)
        .send(body as object),
    delete: (path) => request(url).delete(path).set(auth),
  };
}

/** Every item of a list, page after page (`nextCursor`). */
export async function listAll<T = InstanceView>(client: Api, path: string): Promise<T[]> {
  const items: T[] = [];
  for (let cursor: string | undefined; ;) {
    const page = (await client.get(`${path}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
    if (!Array.isArray(page.items)) throw new Error(`GET ${path}: ${JSON.stringify(page)}`);
    items.push(...page.items);
    if (!page.nextCursor) return items;
    cursor = page.nextCursor;
  }
}

export type InstanceView = { id: string; name: string; state: string; released: boolean; addresses: Array<{ portId: string }>; volumes: string[] };

/** Instances whose provisioning (or clean-up after a failure) has not finished. */
export const unfinished = (items: InstanceView[]): InstanceView[] => items.filter((i) => !(i.state === 'active' || (i.state === 'error' && i.released)));

/**
 * The admin project with its instance quotas lifted, a flavor `tiny`, an image `img`, `hosts`
 * simulated hosts and a network `net` (by default with room for 500 addresses).
 */
export async function prepareSimulatedCloud(admin: Api, hosts: number, cidr = '10.9.0.0/23'): Promise<void> {
  const project = (await admin.get('/v1/projects')).body.items[0].id;
  const steps = [
    await admin.patch(`/v1/projects/${project}`, { quotas: { instances: -1, vcpus: -1, ramMiB: -1 } }),
    await admin.post('/v1/flavors', { name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 }),
    await admin.post('/v1/images', { name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' }),
    await admin.post('/v1/networks', { name: 'net', cidr }),
  ];
  const failed = steps.filter((s) => s.status >= 300);
  if (failed.length > 0) throw new Error(`preparing the cloud: ${failed.map((s) => `${s.status} ${JSON.stringify(s.body)}`).join('; ')}`);
  await addSimulatedHosts(admin, 'sim', hosts);
}

/** `count` simulated hosts named `<prefix>-<n>`, by default large enough for hundreds of `tiny` instances each. */
export async function addSimulatedHosts(admin: Api, prefix: string, count: number, capacity = { vcpus: 200, ramMiB: 131072, diskGiB: 2000 }): Promise<void> {
  for (let h = 0; h < count; h++) {
    const response = await admin.post('/v1/hosts', { name: `${prefix}-${h}`, driver: 'simulated', ...capacity });
    if (response.status !== 201) throw new Error(`registering a host: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

/** The simulated hosts hold exactly the domains (running), switch ports and volumes of the active instances given. */
export async function expectHostsHoldExactly(stateDir: string, admin: Api, instances: InstanceView[]): Promise<void> {
  const active = instances.filter((i) => i.state === 'active');
  const actual = readSimulatedState(stateDir);
  const domains = Object.values(actual.hypervisors).flat();
  expect(domains.map((d) => d.spec.instanceId).sort()).toEqual(active.map((i) => i.id).sort());
  expect(domains.filter((d) => d.power !== 'running')).toEqual([]);
  const ports = Object.values(actual.switches).flatMap((s) => s.ports.map((p) => p.portId));
  expect(ports.sort()).toEqual(active.flatMap((i) => i.addresses.map((a) => a.portId)).sort());
  expect(actual.storage.volumes.map((v) => v.volumeId).sort()).toEqual(active.flatMap((i) => i.volumes).sort());
  const hosts = (await admin.get('/v1/hosts')).body.items as Array<{ used: { vcpus: number } }>;
  expect(hosts.reduce((sum, h) => sum + h.used.vcpus, 0)).toBe(active.length);
}
