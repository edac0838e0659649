import autocannon from 'autocannon';

/** What one connection of the soak did, summed over connections (its lifecycle requests' outcomes). */
export type SoakCounts = { launched: number; acted: number; actionsDeferred: number; deleted: number };

type Context = { id?: string; state?: string };

/**
 * One connection's loop of mixed work, as a tenant's script does it: launch an instance, list,
 * read the event log, look at its instance, reboot it once it is active (a read in its place when
 * it is not yet, counted as deferred), list again and delete it. Every request must succeed.
 */
export function soakSequence(counts: SoakCounts): autocannon.Request[] {
  const json = { 'content-type': 'application/json' };
  const remember = (status: number, body: string, context: object) => {
    if (status >= 300) return;
    const c = context as Context;
    const view = JSON.parse(body) as { id?: string; state?: string; instances?: Array<{ id: string }> };
    if (view.instances) {
      c.id = view.instances[0].id;
      c.state = 'pending';
      counts.launched++;
    } else if (view.id === c.id) c.state = view.state;
  };
  const own =
    (suffix = '') =>
    (request: autocannon.Request, context: object) => ({ ...request, path: `/v1/instances/${(context as Context).id}${suffix}` });
  return [
    {
      method: 'POST',
      path: '/v1/instances',
      headers: json,
      body: JSON.stringify({ name: 'soak', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] }),
      onResponse: remember,
    },
    { method: 'GET', path: '/v1/instances?limit=20' },
    { method: 'GET', path: '/v1/events?limit=50' },
    { method: 'GET', path: '/v1/hosts' },
    { method: 'GET', path: '/v1/instances?limit=20' },
    { method: 'GET', path: '/v1/events?limit=50' },
    { method: 'GET', path: '/v1/hosts' },
    { method: 'GET', setupRequest: own(), onResponse: remember },
    {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ action: 'reboot' }),
      setupRequest: (request, context) => {
        const c = context as Context;
        if (c.state === 'active') {
          counts.acted++;
          return { ...request, path: `/v1/instances/${c.id}/actions` };
        }
        counts.actionsDeferred++;
        // A read in its place: without the body, and so without the body's length and type.
        const headers = Object.fromEntries(Object.entries(request.headers ?? {}).filter(([name]) => !/^content-(length|type)$/i.test(name)));
        return { ...request, method: 'GET', path: `/v1/instances/${c.id}`, body: undefined, headers };
      },
    },
    { method: 'GET', path: '/v1/events?limit=50' },
    { method: 'GET', path: '/v1/instances?limit=20' },
    { method: 'GET', path: '/v1/hosts' },
    { method: 'GET', path: '/v1/instances?limit=20' },
    { method: 'GET', setupRequest: own(), onResponse: remember },
    {
      method: 'DELETE',
      setupRequest: (request, context) => {
        counts.deleted++;
        return own()(request, context);
      },
    },
    { method: 'GET', path: '/v1/instances?limit=20' },
  ];
}
