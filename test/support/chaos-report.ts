import * as fs from 'node:fs';

/** One fault scenario's figures, as `npm run chaos` tabulates them. */
export type ChaosRow = {
  scenario: string;
  load: string;
  faults: string;
  acknowledged: number;
  lost: number;
  /** Left behind with nobody owning it; null where the scenario has nothing that could be orphaned. */
  orphans: number | null;
  /** Answers 5xx other than 503 with Retry-After (which is the promised answer while a dependency is down), plus requests never answered. */
  fiveXx: number;
  /** Seconds from the end of the last fault until the work was whole again. */
  recoverSeconds: number;
  notes?: string;
};

/** Prints the row (`CHAOS {...}`) and, when ORCH_CHAOS_REPORT names a file, appends it there as a JSON line. */
export function reportChaos(row: ChaosRow): void {
  process.stdout.write(`CHAOS ${JSON.stringify(row)}\n`);
  const file = process.env.ORCH_CHAOS_REPORT;
  if (file) fs.appendFileSync(file, `${JSON.stringify(row)}\n`);
}
