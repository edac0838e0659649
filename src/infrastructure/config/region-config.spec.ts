import { regionConfig } from './region-config';

describe('Region configuration', () => {
  it('is one region with its own identity by default', () =>
    expect(regionConfig({}, 'embedded')).toEqual({ region: 'RegionOne', identityDatabaseUrl: null, otherRegions: [] }));

  it('lists the other regions of ORCH_REGIONS, without this one, their URLs without a trailing slash', () =>
    expect(
      regionConfig(
        { ORCH_REGION: 'RegionTwo', ORCH_REGIONS: 'RegionOne=http://10.0.1.1:8080/, RegionTwo=http://10.0.2.1:8080,Edge=https://e.example' },
        'postgres',
      ).otherRegions,
    ).toEqual([
      { name: 'RegionOne', url: 'http://10.0.1.1:8080' },
      { name: 'Edge', url: 'https://e.example' },
    ]));

  it.each([['RegionOne'], ['=http://x'], ['R=ftp://x'], ['R=http://a,R=http://b'], ['bad name=http://x']])('refuses ORCH_REGIONS=%s', (value) =>
    expect(() => regionConfig({ ORCH_REGIONS: value }, 'postgres')).toThrow(/ORCH_REGIONS/),
  );

  it('needs PostgreSQL for a shared identity', () => {
    expect(() => regionConfig({ ORCH_IDENTITY_DATABASE_URL: 'postgres://x/identity' }, 'embedded')).toThrow(/ORCH_STORE=postgres/);
    expect(regionConfig({ ORCH_IDENTITY_DATABASE_URL: 'postgres://x/identity' }, 'postgres').identityDatabaseUrl).toBe('postgres://x/identity');
  });
});
