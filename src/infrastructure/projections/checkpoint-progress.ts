import { ReadModelProgress } from '../../application/ports/read-model-progress.port';
import { Database } from '../persistence/database';
import { sleep } from '../../application/shared/sleep';

/**
 * Read-model progress for a process that does not run the projections itself (a standalone
 * agent): the lowest checkpoint the orchestrator's projections recorded, polled.
 */
export class CheckpointProgress implements ReadModelProgress {
  constructor(
    private readonly db: Database,
    private readonly projectionNames: readonly string[],
    private readonly pollMs: number,
  ) {}

  async waitFor(position: number, timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.position()) >= position) return true;
      if (Date.now() >= deadline) return false;
      await sleep(this.pollMs);
    }
  }

  private async position(): Promise<number> {
    const params = this.projectionNames.map((_, i) => this.db.param(i + 1)).join(', ');
    const rows = await this.db.query<{ name: string; position: number | string }>(`SELECT name, position FROM rm_checkpoints WHERE name IN (${params})`, [
      ...this.projectionNames,
    ]);
    // A projection without a checkpoint has processed nothing yet.
    if (rows.length < this.projectionNames.length) return 0;
    return Math.min(...rows.map((r) => Number(r.position)));
  }
}
