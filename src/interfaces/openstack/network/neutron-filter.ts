import { RawQuery } from '../shared/openstack-query';

/** Neutron's exact-match filters: every query field the resource has must equal (one of) its values (repeated: OR). */
export function matchesQuery(resource: Record<string, unknown>, query: RawQuery): boolean {
  return Object.entries(query).every(([field, wanted]) => {
    if (['fields', 'limit', 'marker', 'sort_key', 'sort_dir'].includes(field) || !(field in resource)) return true;
    const values = Array.isArray(wanted) ? wanted : [wanted];
    return values.some((v) => String(resource[field]) === v);
  });
}
