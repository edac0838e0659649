/** A page of a list: at most `limit` items after the opaque `cursor` (null: from the start). */
export type PageRequest = { limit: number; cursor: string | null };
export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * The cursor that continues a list after the item with this id: lists run in id order and a cursor
 * is that id, encoded (what OpenStack calls a marker).
 */
export const cursorAfter = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

/**
 * Whether a cursor is one this API could have given out: the exact encoding of an id of printable
 * ASCII. Anything else is refused (400) rather than read as a position that lists nothing.
 */
export function isPageCursor(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,512}$/.test(value)) return false;
  const id = Buffer.from(value, 'base64url').toString('utf8');
  return /^[\x21-\x7e]{1,255}$/.test(id) && cursorAfter(id) === value;
}

/** Every item of a list, page by page (for lists that are small by nature: projects, a user's roles, flavors). */
export async function allItems<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await list({ limit: 1000, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}
