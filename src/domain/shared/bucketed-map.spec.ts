import fc from 'fast-check';
import { BucketedMap, bucketedDelete, bucketedEntries, bucketedGet, bucketedSet, emptyBucketedMap } from './bucketed-map';

describe('BucketedMap', () => {
  it('behaves like a Map under any sequence of sets and deletes, and never changes an earlier value', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.string({ maxLength: 6 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.string({ maxLength: 6 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const model = new Map<string, number>();
        let map: BucketedMap<number> = emptyBucketedMap();
        for (const o of ops) {
          const before = map;
          const snapshot = JSON.stringify(before);
          if (o.kind === 'set') {
            map = bucketedSet(map, o.key, o.value);
            model.set(o.key, o.value);
          } else {
            map = bucketedDelete(map, o.key);
            model.delete(o.key);
          }
          expect(JSON.stringify(before)).toBe(snapshot);
          expect(map.size).toBe(model.size);
        }
        for (const [k, v] of model) expect(bucketedGet(map, k)).toBe(v);
        expect(new Map(bucketedEntries(map))).toEqual(model);
        expect(bucketedGet(map, 'constructor')).toBe(model.get('constructor'));
      }),
      { numRuns: 300 },
    );
  });
});
