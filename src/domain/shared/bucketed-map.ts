/**
 * An immutable string-keyed map in buckets: a change copies the bucket index and one bucket, not
 * the whole map, so an aggregate holding tens of thousands of entries (a network's addresses)
 * evolves in near-constant time per event while every state stays a value nobody mutates.
 */
export type BucketedMap<V> = { readonly size: number; readonly buckets: Readonly<Record<string, Readonly<Record<string, V>>>> };

const BUCKETS = 256;

/** FNV-1a over the key's UTF-16 code units, folded to a bucket. */
function bucketOf(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return String((hash >>> 0) % BUCKETS);
}

export const emptyBucketedMap = <V>(): BucketedMap<V> => ({ size: 0, buckets: {} });

export function bucketedGet<V>(map: BucketedMap<V>, key: string): V | undefined {
  const bucket = map.buckets[bucketOf(key)];
  return bucket && Object.prototype.hasOwnProperty.call(bucket, key) ? bucket[key] : undefined;
}

export function bucketedSet<V>(map: BucketedMap<V>, key: string, value: V): BucketedMap<V> {
  const b = bucketOf(key);
  const bucket = map.buckets[b] ?? {};
  const added = Object.prototype.hasOwnProperty.call(bucket, key) ? 0 : 1;
  return { size: map.size + added, buckets: { ...map.buckets, [b]: { ...bucket, [key]: value } } };
}

export function bucketedDelete<V>(map: BucketedMap<V>, key: string): BucketedMap<V> {
  const b = bucketOf(key);
  const bucket = map.buckets[b];
  if (!bucket || !Object.prototype.hasOwnProperty.call(bucket, key)) return map;
  const { [key]: _removed, ...rest } = bucket;
  return { size: map.size - 1, buckets: { ...map.buckets, [b]: rest } };
}

export function bucketedEntries<V>(map: BucketedMap<V>): Array<[string, V]> {
  return Object.values(map.buckets).flatMap((bucket) => Object.entries(bucket));
}
