import { Dialect, Tx } from '../../persistence/database';
import { GENESIS, chainHash } from './hash-chain';
import { ChainRowRaw, chainRowsQuery, toChainedRow } from './chain-rows';

/** Computes the hash of every event recorded before the chain existed, in log order (migration 012). */
export async function backfillHashChain(tx: Tx, dialect: Dialect): Promise<void> {
  let previous = GENESIS;
  let after = 0;
  for (;;) {
    const rows = await tx.query<ChainRowRaw>(chainRowsQuery(dialect, 5_000), [after]);
    if (rows.length === 0) return;
    for (const raw of rows) {
      const row = toChainedRow(raw);
      previous = chainHash(previous, row);
      await tx.query(`UPDATE events SET hash = ${dialect === 'postgres' ? '$1' : '?'} WHERE position = ${dialect === 'postgres' ? '$2' : '?'}`, [
        previous,
        row.position,
      ]);
      after = row.position;
    }
  }
}
