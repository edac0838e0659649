import { parseVolumeCreate } from './cinder-requests';
import { cinderListQuery } from './cinder-list-query';
import { errorCodeOf } from '../../../../test/support/error-code';

const code = errorCodeOf;

describe('Cinder requests', () => {
  it('reads a volume create, named or not, blank or from a snapshot', () => {
    expect(parseVolumeCreate({ volume: { size: 2, name: 'data', description: null } })).toEqual({ name: 'data', sizeGiB: 2, snapshotId: null });
    expect(parseVolumeCreate({ volume: { size: '1', snapshot_id: 'snap-1' } })).toEqual({ name: 'volume', sizeGiB: 1, snapshotId: 'snap-1' });
    for (const volume of [
      { size: 0 },
      { size: 1, imageRef: 'x' },
      { size: 1, description: 'kept?' },
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
