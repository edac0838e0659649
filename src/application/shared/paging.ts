/** A page of a list: at most `limit` items after the opaque `cursor` (null: from the start). */
export type PageRequest = { limit: number; cursor: string | null };
export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * The cursor that continues a list after the item with this id: lists run in id order and a cursor
 * is that id, encoded (what OpenStack calls a marker).
 */
export const cursorAfter = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

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
