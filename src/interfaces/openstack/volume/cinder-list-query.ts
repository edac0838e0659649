import { invalid } from '../../../domain/shared/domain-error';
import { RawQuery, flagOf, limitOf, queryValue } from '../shared/openstack-query';
import { VolumeMicroversion } from './cinder-microversion';

type Listed = { id: string; name: string; status: string; createdAt: string; updatedAt: string };
export type CinderListQuery<T extends Listed> = { allProjects: boolean; limit: number; marker: string | undefined; matches: (item: T) => boolean };

const bad = (message: string) => invalid('BadRequest', message);
const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  eq: (a, b) => a === b,
  neq: (a, b) => a !== b,
};

/** `created_at=gte:2026-01-01T00:00:00Z,lt:…` (3.60): each comparison must hold. */
function timeTest(field: 'createdAt' | 'updatedAt', raw: string): (item: Listed) => boolean {
  const tests = raw.split(',').map((part) => {
    const [op, ...rest] = part.split(':');
    const time = Date.parse(rest.join(':'));
    if (!COMPARISONS[op] || Number.isNaN(time)) throw bad(`Invalid time filter ${part}: expected gt, gte, lt, lte, eq or neq, then an ISO time`);
    return (item: Listed) => COMPARISONS[op](Date.parse(item[field]), time);
  });
  return (item) => tests.every((t) => t(item));
}

/** A Cinder list's query: exact `name` and `status`, `name~` (3.34), time comparisons (3.60), `all_tenants`, `limit`/`marker`. */
export function cinderListQuery<T extends Listed>(query: RawQuery, version: VolumeMicroversion): CinderListQuery<T> {
  const tests: Array<(item: Listed) => boolean> = [];
  const name = queryValue(query, 'name');
  if (name !== undefined) tests.push((i) => i.name === name);
  const status = queryValue(query, 'status');
  if (status !== undefined) tests.push((i) => i.status === status);
  const like = queryValue(query, 'name~');
  if (like !== undefined && version >= 34) tests.push((i) => i.name.includes(like));
  if (version >= 60) {
    const created = queryValue(query, 'created_at');
    if (created !== undefined) tests.push(timeTest('createdAt', created));
    const updated = queryValue(query, 'updated_at');
    if (updated !== undefined) tests.push(timeTest('updatedAt', updated));
  }
  return {
    allProjects: flagOf(query, 'all_tenants'),
    limit: limitOf(query, 1000, 1000, bad),
    marker: queryValue(query, 'marker'),
    matches: (item) => tests.every((t) => t(item)),
  };
}
