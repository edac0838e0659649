import { EntityTarget, ObjectLiteral } from 'typeorm';
import { RawTable, Runner, Writer } from '../persistence/raw-table';
import { RowChanges, RowFold } from './row-fold';

/** What a set of folds changed, taken at one point of the log, to be written in one transaction. */
export type FoldChanges = readonly RowChanges<ObjectLiteral>[];

/**
 * One projection's folds, one per table, created on first use and kept for as long as the set
 * lives: for one batch when following the log, for a whole catch-up or replay otherwise.
 */
export class RowFolds {
  private readonly folds = new Map<EntityTarget<ObjectLiteral>, RowFold<ObjectLiteral>>();

  /** `source`: where the folds read rows that are not held (a transaction, or the database). */
  constructor(private readonly source: Runner & { table<T extends ObjectLiteral>(entity: EntityTarget<T>): RawTable<T> }) {}

  of<T extends ObjectLiteral>(entity: EntityTarget<T>): RowFold<T> {
    let fold = this.folds.get(entity) as RowFold<T> | undefined;
    if (!fold) {
      fold = new RowFold(this.source.table(entity), this.source);
      this.folds.set(entity, fold as unknown as RowFold<ObjectLiteral>);
    }
    return fold;
  }

  /** How many rows all folds hold. */
  get size(): number {
    let size = 0;
    for (const fold of this.folds.values()) size += fold.size;
    return size;
  }

  takeChanges(): FoldChanges {
    return [...this.folds.values()].map((fold) => fold.takeChanges());
  }

  /** See RowFold.release. */
  release(): void {
    for (const fold of this.folds.values()) fold.release();
  }
}

/**
 * Writes taken changes, table by table in the order the folds were first used, deletes before
 * upserts (a row removed frees its unique names, a network's, for a row created after it).
 */
export async function writeChanges(changes: FoldChanges, tx: Writer): Promise<void> {
  for (const { table, upserts, deletes } of changes) {
    await table.deleteKeys(deletes, tx);
    await table.upsert(upserts, tx);
  }
}
