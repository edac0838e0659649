import { Request } from 'express';
import { invalid } from '../../../domain/shared/domain-error';
import { RawQuery, limitOf, nextPageLink, pageAfterMarker, queryValue } from '../shared/openstack-query';

const LISTING = ['fields', 'limit', 'marker', 'sort_key', 'sort_dir', 'page_reverse'];
const all = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Neutron's exact-match filters: every query field the resource has must equal (one of) its values (repeated: OR). */
export function matchesQuery(resource: Record<string, unknown>, query: RawQuery): boolean {
  return Object.entries(query).every(([field, wanted]) => {
    if (LISTING.includes(field) || !(field in resource)) return true;
    return all(wanted).some((v) => String(resource[field]) === v);
  });
}

type Resource = Record<string, unknown> & { id: string };

/**
 * A Neutron list as the clients ask for it: exact filters, `sort_key`/`sort_dir` (repeated: by the
 * first key, then the next), a page of `limit` after `marker` with a `<collection>_links` next link,
 * and only the `fields` asked for (the id kept for paging).
 */
export function neutronListing(collection: string, resources: Resource[], query: RawQuery, req: Request, base: string): Record<string, unknown> {
  const filtered = resources.filter((r) => matchesQuery(r, query));
  const keys = all(query.sort_key);
  const dirs = all(query.sort_dir);
  for (const dir of dirs) if (dir !== 'asc' && dir !== 'desc') throw invalid('BadRequest', `sort_dir must be asc or desc, not ${dir}`);
  if (keys.length > 0) {
    for (const key of keys) if (filtered.length > 0 && !(key in filtered[0])) throw invalid('BadRequest', `${key} is not a sort key of ${collection}`);
    filtered.sort((a, b) => {
      for (const [i, key] of keys.entries()) {
        const order = String(a[key] ?? '').localeCompare(String(b[key] ?? ''));
        if (order !== 0) return dirs[i] === 'desc' ? -order : order;
      }
      return 0;
    });
  }
  const limited = queryValue(query, 'limit') !== undefined;
  const { items, next } = limited
    ? pageAfterMarker(filtered, { limit: limitOf(query, 1000, 1000, (m) => invalid('BadRequest', m)) || 1000, marker: queryValue(query, 'marker') })
    : { items: filtered, next: null };
  const fields = all(query.fields);
  const shown = fields.length === 0 ? items : items.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => fields.includes(k))));
  return { [collection]: shown, ...(limited && next ? { [`${collection}_links`]: [nextPageLink(req, base, next)] } : {}) };
}
