import { RawTable } from '../persistence/raw-table';
import { RowFold } from './row-fold';

type Row = { id: string; n: number };

/** A table held in a map, counting the keys it was asked for (the fold's only reads). */
function tableOf(rows: Row[]) {
  const stored = new Map(rows.map((r) => [r.id, r]));
  const asked: string[][] = [];
  const table = {
    keyOf: (row: Partial<Row>) => String(row.id),
    byKeys: async (keys: readonly string[]) => {
      asked.push([...keys]);
      return keys.flatMap((k) => (stored.has(k) ? [stored.get(k) as Row] : []));
    },
  } as unknown as RawTable<Row>;
  return { table, stored, asked };
}

const reader = { query: async () => [] };

describe('RowFold', () => {
  it('reads a row once, then folds every change into it and hands out only its latest version', async () => {
    const { table, asked } = tableOf([{ id: 'a', n: 1 }]);
    const fold = new RowFold(table, reader);
    await fold.load(['a']);
    fold.update('a', (r) => ({ ...r, n: r.n + 1 }));
    await fold.load(['a']);
    fold.update('a', (r) => ({ ...r, n: r.n + 1 }));
    expect(asked).toEqual([['a']]);
    expect(fold.takeChanges()).toMatchObject({ upserts: [{ id: 'a', n: 3 }], deletes: [] });
    expect(fold.takeChanges()).toMatchObject({ upserts: [], deletes: [] });
  });

  it('keeps rows held after their changes are taken, so a fold across batches never reads them again', async () => {
    const { table, asked } = tableOf([]);
    const fold = new RowFold(table, reader);
    fold.put({ id: 'a', n: 1 });
    fold.takeChanges();
    await fold.load(['a']);
    fold.update('a', (r) => ({ ...r, n: 2 }));
    expect(asked).toEqual([]);
    expect(fold.takeChanges().upserts).toEqual([{ id: 'a', n: 2 }]);
  });

  it('treats a removed row as gone even while the table still has it, until its delete is written and the fold let go', async () => {
    const { table, stored, asked } = tableOf([{ id: 'a', n: 1 }]);
    const fold = new RowFold(table, reader);
    await fold.load(['a']);
    fold.remove('a');
    const changes = fold.takeChanges();
    expect(changes.deletes).toEqual(['a']);
    await fold.load(['a']); // the delete is taken but, say, not committed yet
    fold.update('a', (r) => ({ ...r, n: 99 }));
    expect(fold.get('a')).toBeUndefined();
    expect(asked).toEqual([['a']]);

    stored.delete('a'); // written
    fold.release();
    await fold.load(['a']);
    expect(asked).toEqual([['a'], ['a']]);
    expect(fold.get('a')).toBeUndefined();
  });

  it('lets go only of rows whose changes were taken: an untaken change survives release', async () => {
    const { table, stored, asked } = tableOf([]);
    const fold = new RowFold(table, reader);
    fold.put({ id: 'written', n: 1 });
    for (const row of fold.takeChanges().upserts) stored.set(row.id, row);
    fold.put({ id: 'pending', n: 2 });
    fold.release();
    expect(fold.size).toBe(1);
    expect(fold.get('pending')).toEqual({ id: 'pending', n: 2 });
    await fold.load(['written', 'pending']);
    expect(asked).toEqual([['written']]);
    expect(fold.get('written')).toEqual({ id: 'written', n: 1 });
    expect(fold.takeChanges().upserts).toEqual([{ id: 'pending', n: 2 }]);
  });

  it('a row created again after its removal is upserted, not deleted', () => {
    const { table } = tableOf([]);
    const fold = new RowFold(table, reader);
    fold.put({ id: 'a', n: 1 });
    fold.remove('a');
    fold.put({ id: 'a', n: 2 });
    expect(fold.takeChanges()).toMatchObject({ upserts: [{ id: 'a', n: 2 }], deletes: [] });
  });
});
