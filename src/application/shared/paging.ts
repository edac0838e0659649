/** A page of a list: at most `limit` items after the opaque `cursor` (null: from the start). */
export type PageRequest = { limit: number; cursor: string | null };
export type Page<T> = { items: T[]; nextCursor: string | null };
