import { ReadModelProgress } from '../../application/ports/read-model-progress.port';

/**
 * Read-your-writes in a cluster: from memory while this process runs the projections, from their
 * checkpoints in the database (woken by NOTIFY) while another process runs them.
 */
export class ClusterProgress implements ReadModelProgress {
  constructor(
    private readonly local: ReadModelProgress,
    private readonly checkpoints: ReadModelProgress,
    private readonly runsProjections: () => boolean,
  ) {}

  waitFor(position: number, timeoutMs?: number): Promise<boolean> {
    return (this.runsProjections() ? this.local : this.checkpoints).waitFor(position, timeoutMs);
  }
}
