import fc from 'fast-check';
import { MAX_METADATA_ITEMS, metadataAfter } from '../../shared/metadata';
import { MAX_TAGS, tagsAfter } from './instance-details';

describe('Instance metadata and tags', () => {
  it('merges, replaces and removes metadata items', () => {
    expect(metadataAfter({ a: '1' }, { set: { b: '2' }, unset: [], replace: false })).toEqual({ a: '1', b: '2' });
    expect(metadataAfter({ a: '1' }, { set: { b: '2' }, unset: [], replace: true })).toEqual({ b: '2' });
    expect(metadataAfter({ a: '1', b: '2' }, { set: {}, unset: ['a'], replace: false })).toEqual({ b: '2' });
    expect(() => metadataAfter({}, { set: {}, unset: ['a'], replace: false })).toThrow(expect.objectContaining({ code: 'MetadataItemNotFound' }));
    expect(() => metadataAfter({}, { set: { '': 'x' }, unset: [], replace: false })).toThrow(expect.objectContaining({ code: 'InvalidMetadata' }));
  });

  it('keeps tags in order, each once, and refuses removing one that is not there', () => {
    expect(tagsAfter(['a'], { add: ['b', 'a'], remove: [], replace: false })).toEqual(['a', 'b']);
    expect(tagsAfter(['a'], { add: ['c'], remove: [], replace: true })).toEqual(['c']);
    expect(() => tagsAfter(['a'], { add: [], remove: ['z'], replace: false })).toThrow(expect.objectContaining({ code: 'TagNotFound' }));
    expect(() => tagsAfter([], { add: ['a,b'], remove: [], replace: false })).toThrow(expect.objectContaining({ code: 'InvalidTag' }));
  });

  it('never holds a tag twice nor more tags or metadata items than the limits, whatever the changes', () => {
    const tag = fc.stringMatching(/^[a-e]{1,2}$/);
    const change = fc.record({ add: fc.array(tag, { maxLength: 30 }), replace: fc.boolean() });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 20 }), (changes) => {
        let tags: string[] = [];
        for (const c of changes) {
          try {
            tags = tagsAfter(tags, { ...c, remove: [] });
          } catch {
            // a refused change leaves the tags as they were
          }
          if (new Set(tags).size !== tags.length || tags.length > MAX_TAGS) return false;
        }
        return true;
      }),
    );
    const item = fc.tuple(fc.stringMatching(/^[a-z]{3}$/), fc.string({ maxLength: 5 }));
    fc.assert(
      fc.property(fc.array(fc.array(item, { minLength: 20, maxLength: 60 }), { minLength: 3, maxLength: 10 }), (batches) => {
        let metadata: Record<string, string> = {};
        for (const batch of batches) {
          try {
            metadata = metadataAfter(metadata, { set: Object.fromEntries(batch), unset: [], replace: false });
          } catch {
            // refused: unchanged
          }
          if (Object.keys(metadata).length > MAX_METADATA_ITEMS) return false;
        }
        return true;
      }),
    );
  });
});
