import { ReadModelProgress } from '../../application/ports/read-model-progress.port';
import { Wakeup } from '../event-store/sql/wakeup';
import { Database } from '../persistence/database';

type CheckpointNotices = { on(channel: 'orch_checkpoint', listener: (position: string) => void): () => void };

/**
 * Read-model progress for a process that does not run the projections itself (a standalone agent,
 * or an orchestrator while another process of the cluster runs them): the lowest checkpoint the
 * projections recorded, read again whenever their owner announces a commit (PostgreSQL NOTIFY), and
 * every poll interval should an announcement be missed.
 */
export class CheckpointProgress implements ReadModelProgress {
  private readonly moved = new Wakeup();
  private reached = 0;

  constructor(
    private readonly db: Database,
    private readonly projectionNames: readonly string[],
    private readonly pollMs: number,
    notices?: CheckpointNotices,
  ) {
    notices?.on('orch_checkpoint', (payload) => {
      if (payload === '' || Number(payload) > this.reached) this.moved.notify();
    });
  }

  async waitFor(position: number, timeoutMs = 10_000): Promise<boolean> {
    if (this.reached >= position) return true;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const wake = this.moved.wait(Math.min(this.pollMs, Math.max(0, deadline - Date.now())));
      this.reached = Math.max(this.reached, await this.position());
      if (this.reached >= position) return true;
      if (Date.now() >= deadline) return false;
      await wake;
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
