/** Kinds of resource an interface may name by a shortened id. */
export type IndexedKind = 'instance' | 'image' | 'volume' | 'snapshot' | 'security-group' | 'network' | 'floating-ip';

/**
 * Ids by their beginning: interfaces whose ids are shorter than ours (EC2's 17 hex digits against our
 * 20) name a resource by its id's first characters and find it here. Read from the read models.
 */
export interface IdPrefixIndex {
  /** Up to `limit` ids of the kind starting with `prefix` (`<our prefix>-<hex digits>`), in id order. */
  idsStartingWith(kind: IndexedKind, prefix: string, limit: number): Promise<string[]>;
  /** Whether a resource of the kind has exactly this id. */
  exists(kind: IndexedKind, id: string): Promise<boolean>;
}
export const ID_PREFIX_INDEX = Symbol('IdPrefixIndex');
