import fc from 'fast-check';
import { isoToMillis, millisToIso } from './iso-time';

describe('ISO time arithmetic', () => {
  it('agrees with the platform clock on any instant from 1970 to 2200, both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7_258_118_400_000 }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(isoToMillis(iso)).toBe(ms);
        expect(millisToIso(ms)).toBe(iso);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses what is not a UTC ISO timestamp', () => {
    for (const text of ['2026-01-01', '2026-01-01T00:00:00+01:00', 'yesterday', '']) expect(isoToMillis(text)).toBeNull();
  });
});
