import { InstanceFilter, InstanceView } from '../../../application/compute/ports/instance-read-model.port';
import { invalid } from '../../../domain/shared/domain-error';
import { RawQuery, flagOf, queryValue } from '../shared/openstack-query';
import { novaStatus } from './nova-server-view';

/** The user-facing states behind each Nova status, for the read model's own filter. */
const STATE_OF_STATUS: Record<string, string> = {
  BUILD: 'pending',
  ACTIVE: 'active',
  SHUTOFF: 'stopped',
  REBOOT: 'rebooting',
  HARD_REBOOT: 'rebooting',
  ERROR: 'error',
  DELETED: 'deleted',
};

export type NovaServerQuery = { allProjects: boolean; filter: InstanceFilter; matches: (i: InstanceView) => boolean };

const bad = (message: string) => invalid('BadRequest', message);

/** A repeated group that itself repeats (`(a+)+`, `(a|aa)*`, `(.*){2,}`), or a back-reference: what makes a regex backtrack exponentially. */
const CATASTROPHIC = /\([^)]*([+*}]|\|)[^)]*\)\s*[+*{?]|\\[1-9]/;

/** A server list's query: the read model's filter (status, host), and what is matched after it (a name pattern, image, flavor, time). */
export function serverQueryOf(query: RawQuery): NovaServerQuery {
  const filter: InstanceFilter = {};
  const tests: Array<(i: InstanceView) => boolean> = [];
  const status = queryValue(query, 'status')?.toUpperCase();
  if (status !== undefined) {
    const state = STATE_OF_STATUS[status];
    if (!state) throw bad(`Invalid server status: ${status}`);
    filter.state = state;
    tests.push((i) => novaStatus(i) === status || (status === 'SHUTOFF' && i.state === 'pending' && i.taskState === 'powering_on'));
  }
  const host = queryValue(query, 'host');
  if (host !== undefined) filter.host = host;
  const name = queryValue(query, 'name');
  if (name !== undefined) {
    if (name.length > 255) throw bad('name must be at most 255 characters');
    // One request must not hold the event loop: patterns that can backtrack without end are refused.
    if (CATASTROPHIC.test(name)) throw bad('name: nested repetition and back-references are not supported in the pattern');
    let pattern: RegExp;
    try {
      pattern = new RegExp(name);
    } catch {
      throw bad(`name is not a valid regular expression: ${name}`);
    }
    tests.push((i) => pattern.test(i.name));
  }
  const image = queryValue(query, 'image');
  if (image !== undefined) tests.push((i) => i.image === image.split('/').pop());
  const flavor = queryValue(query, 'flavor');
  if (flavor !== undefined) tests.push((i) => i.flavor.id === flavor.split('/').pop());
  const since = queryValue(query, 'changes-since');
  if (since !== undefined) {
    const time = Date.parse(since);
    if (Number.isNaN(time)) throw bad(`changes-since must be an ISO 8601 time, not ${since}`);
    tests.push((i) => Date.parse(i.updatedAt) >= time);
  }
  const before = queryValue(query, 'changes-before');
  if (before !== undefined) {
    const time = Date.parse(before);
    if (Number.isNaN(time)) throw bad(`changes-before must be an ISO 8601 time, not ${before}`);
    tests.push((i) => Date.parse(i.updatedAt) <= time);
  }
  const project = queryValue(query, 'project_id') ?? queryValue(query, 'tenant_id');
  if (project !== undefined) tests.push((i) => i.projectId === project);
  return { allProjects: flagOf(query, 'all_tenants'), filter, matches: (i) => tests.every((t) => t(i)) };
}
