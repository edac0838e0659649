import { invalid } from '../../../domain/shared/domain-error';

import { Request } from 'express';

/** OpenStack list queries: strings, possibly repeated (`?status=ACTIVE&status=SHUTOFF`); the last one wins here. */
export type RawQuery = Record<string, string | string[] | undefined>;

export function queryValue(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** `?limit=`: a positive integer up to `max` (values above are cut to it, as Nova and Glance do); 400 otherwise. */
export function limitOf(query: RawQuery, fallback: number, max: number, bad: (message: string) => Error): number {
  const raw = queryValue(query, 'limit');
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw bad('limit must be a non-negative integer');
  return Math.min(Number(raw), max);
}

/** True-ish query flags as OpenStack reads them (`all_tenants=1`, `=True`, bare `all_tenants`). */
export function flagOf(query: RawQuery, name: string): boolean {
  const raw = queryValue(query, name);
  if (raw === undefined) return false;
  return ['', '1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
}

/** A page of a whole list after its marker (an unknown marker: 400), and the marker of the next page when one follows. */
export function pageAfterMarker<T extends { id: string }>(all: T[], q: { limit: number; marker: string | undefined }): { items: T[]; next: string | null } {
  const start = q.marker === undefined ? 0 : all.findIndex((i) => i.id === q.marker) + 1;
  if (q.marker !== undefined && start === 0) throw invalid('BadRequest', `marker ${q.marker} not found`);
  const items = all.slice(start, start + q.limit);
  return { items, next: start + q.limit < all.length && items.length > 0 ? items[items.length - 1].id : null };
}

/** The link to the next page of a list: the same request, continuing after `marker`. */
export function nextPageLink(req: Request, base: string, marker: string): { rel: 'next'; href: string } {
  const query = new URLSearchParams(req.query as Record<string, string>);
  query.set('marker', marker);
  return { rel: 'next', href: `${base}${req.path}?${query.toString()}` };
}
