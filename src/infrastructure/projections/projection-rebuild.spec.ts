import { Projection } from './projection';
import { shareOut } from './projection-rebuild';

const projection = (name: string, types: string[], prefixes: string[] = []): Projection => ({
  name,
  tables: [],
  reads: { types, prefixes },
  apply: async () => undefined,
});

const big = projection('big', [], ['Instance']);
const middle = projection('middle', ['VolumeCreated', 'VolumeDeleted']);
const small = projection('small', ['KeyPairImported']);
const tiny = projection('tiny', ['FlavorCreated']);
const counts = [
  { type: 'InstanceRequested', n: 500 },
  { type: 'InstanceActivated', n: '400' }, // PostgreSQL's COUNT comes back as text
  { type: 'VolumeCreated', n: 300 },
  { type: 'VolumeDeleted', n: 200 },
  { type: 'KeyPairImported', n: 350 },
  { type: 'FlavorCreated', n: 100 },
  { type: 'NobodyReadsThis', n: 10_000 },
];
const names = (groups: Projection[][]) => groups.map((g) => g.map((p) => p.name));

describe('shareOut: projections shared among a replay’s threads', () => {
  it('balances the events each thread folds, the heaviest group first', () => {
    // big 900; middle 500; small 350; tiny 100: {big} against {middle, small, tiny} = 950.
    expect(names(shareOut([tiny, small, middle, big], counts, 2))).toEqual([['big'], ['middle', 'small', 'tiny']]);
    expect(names(shareOut([tiny, small, middle, big], counts, 3))).toEqual([['big'], ['middle'], ['small', 'tiny']]);
  });

  it('puts everything on one thread when asked for one', () => {
    expect(names(shareOut([big, middle, small], counts, 1))).toEqual([['big', 'middle', 'small']]);
  });

  it('never makes more threads than projections, nor an empty one', () => {
    expect(names(shareOut([middle, small], counts, 8))).toEqual([['middle'], ['small']]);
    expect(names(shareOut([big, middle], [], 2))).toEqual([['big', 'middle']]);
  });
});
