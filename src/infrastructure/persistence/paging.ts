import { Page, PageRequest, cursorAfter } from '../../application/shared/paging';

/** Cursors are the last id of the previous page (cursorAfter), opaque to clients. */
export const encodeCursor = cursorAfter;
export const decodeCursor = (cursor: string | null) => (cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : null);

/** Turns `limit + 1` rows fetched in id order into a page and the cursor of the next one. */
export function toPage<R extends { id: string }, T>(rows: R[], page: PageRequest, map: (row: R) => T): Page<T> {
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  return { items: items.map(map), nextCursor: more ? encodeCursor(items[items.length - 1].id) : null };
}
