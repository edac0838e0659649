import { parseVolumeCreate } from './cinder-requests';
import { cinderListQuery } from './cinder-list-query';
import { errorCodeOf } from '../../../../test/support/error-code';

const code = errorCodeOf;

describe('Cinder requests', () => {
  it('reads a volume create, named or not, blank, from a snapshot or from an image, described or not', () => {
    const blank = { snapshotId: null, imageId: null, description: '' };
    expect(parseVolumeCreate({ volume: { size: 2, name: 'data', description: null } })).toEqual({ ...blank, name: 'data', sizeGiB: 2 });
    expect(parseVolumeCreate({ volume: { size: '1', snapshot_id: 'snap-1' } })).toEqual({ ...blank, name: 'volume', sizeGiB: 1, snapshotId: 'snap-1' });
    expect(parseVolumeCreate({ volume: { size: 1, imageRef: 'img-1', description: 'boots' } })).toEqual({
      ...blank,
      name: 'volume',
      sizeGiB: 1,
      imageId: 'img-1',
      description: 'boots',
    });
    for (const volume of [
      { size: 0 },
      { size: 1, imageRef: 7 },
      { size: 1, source_volid: 'vol-1' },
      { size: 1, description: 'x'.repeat(256) },
      { size: 1, volume_type: 'ssd' },
      { size: 1, multiattach: true },
    ]) {
      expect({ volume, code: code(() => parseVolumeCreate({ volume })) }).toEqual({ volume, code: 'BadRequest' });
    }
  });

  it('filters lists by name~ from 3.34 and by time from 3.60 only', () => {
    const item = { id: 'v', name: 'gamma', status: 'available', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-02T00:00:00Z' };
    expect(cinderListQuery({ 'name~': 'zz' }, 34).matches(item)).toBe(false);
    expect(cinderListQuery({ 'name~': 'zz' }, 0).matches(item)).toBe(true);
    expect(cinderListQuery({ created_at: 'gte:2026-01-01T00:00:00Z,lt:2026-01-01T00:00:01Z' }, 60).matches(item)).toBe(true);
    expect(cinderListQuery({ updated_at: 'lt:2026-01-02T00:00:00Z' }, 60).matches(item)).toBe(false);
    expect(code(() => cinderListQuery({ created_at: 'around:2026' }, 60))).toBe('BadRequest');
  });
});
