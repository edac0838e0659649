import { invalid, notFound } from '../../shared/domain-error';

/** Nova's limits: 128 metadata items (its default quota), keys and values of at most 255 characters; 50 tags of at most 60. */
export const MAX_METADATA_ITEMS = 128;
export const MAX_TAGS = 50;
const KEY = /^[^\p{Cc}]{1,255}$/u;
const VALUE = /^[^\p{Cc}]{0,255}$/u;
const TAG = /^[^\p{Cc},/]{1,60}$/u;

export type Metadata = Readonly<Record<string, string>>;
export type MetadataChange = { set: Metadata; unset: readonly string[]; replace: boolean };
export type TagsChange = { add: readonly string[]; remove: readonly string[]; replace: boolean };

export function validateMetadata(metadata: Metadata): void {
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_ITEMS)
    throw invalid('MetadataLimitExceeded', `At most ${MAX_METADATA_ITEMS} metadata items`, [{ field: 'metadata', message: 'too many items' }]);
  for (const [key, value] of entries) {
    if (!KEY.test(key) || typeof value !== 'string' || !VALUE.test(value)) {
      throw invalid('InvalidMetadata', 'Metadata keys are 1 to 255 characters and values at most 255, without control characters', [
        { field: `metadata.${key}`, message: 'invalid' },
      ]);
    }
  }
}

/** The metadata after a change: merged into (or replacing) what there is, then keys removed (a key that is not there: 404). */
export function metadataAfter(current: Metadata, change: MetadataChange): Record<string, string> {
  const next: Record<string, string> = change.replace ? { ...change.set } : { ...current, ...change.set };
  for (const key of change.unset) {
    if (!(key in next)) throw notFound('MetadataItemNotFound', `Metadata item was not found: ${key}`);
    delete next[key];
  }
  validateMetadata(next);
  return next;
}

/** The tags after a change, in the order first given, each once (removing one that is not there: 404). */
export function tagsAfter(current: readonly string[], change: TagsChange): string[] {
  for (const tag of change.add)
    if (!TAG.test(tag))
      throw invalid('InvalidTag', 'A tag is 1 to 60 characters, without control characters, commas or slashes', [{ field: 'tags', message: tag }]);
  let next = change.replace ? [...change.add] : [...current, ...change.add];
  for (const tag of change.remove) {
    if (!next.includes(tag)) throw notFound('TagNotFound', `Server has no tag ${tag}`);
    next = next.filter((t) => t !== tag);
  }
  next = [...new Set(next)];
  if (next.length > MAX_TAGS) throw invalid('TagLimitExceeded', `At most ${MAX_TAGS} tags`, [{ field: 'tags', message: 'too many' }]);
  return next;
}

export const sameMetadata = (a: Metadata, b: Metadata) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
/** Two lists with the same items in the same order (tags, security groups). */
export const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => b[i] === t);
