import { invalid, notFound } from './domain-error';

/** Key-value metadata of a resource (Nova's server metadata, Cinder's, EC2's tags). Nova's limits: 128 items (its default quota), keys and values of at most 255 characters. */
export const MAX_METADATA_ITEMS = 128;
const KEY = /^[^\p{Cc}]{1,255}$/u;
const VALUE = /^[^\p{Cc}]{0,255}$/u;

export type Metadata = Readonly<Record<string, string>>;
export type MetadataChange = { set: Metadata; unset: readonly string[]; replace: boolean };

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

export const sameMetadata = (a: Metadata, b: Metadata) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
