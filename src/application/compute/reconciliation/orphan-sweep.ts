import { Inject, Injectable } from '@nestjs/common';
import { OrphanKind, orphanDecider, orphansDue, orphansStream } from '../../../domain/compute/reconciliation/orphans.decider';
import { AppLogger, LOGGER } from '../../ports/logger.port';
import { CommandExecutor } from '../../shared/command-executor';
import { RECONCILER_SETTINGS, ReconcilerSettings } from './reconciler.settings';
import { NO_WAIT, reconcilerContext } from './reconciler-context';

/**
 * What a host (or the block storage) holds that nothing accounts for: each is recorded when it is
 * first seen (OrphanFound), forgotten if it goes away by itself, and removed once it has stayed
 * past the grace period (OrphanRemoved), on the host's orphans stream.
 */
@Injectable()
export class OrphanSweep {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(RECONCILER_SETTINGS) private readonly settings: ReconcilerSettings,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  async sweep(host: { id: string; name: string }, kind: OrphanKind, present: readonly string[], remove: (id: string) => Promise<void>): Promise<void> {
    const stream = orphansStream(host.id);
    const ctx = reconcilerContext(host.id);
    const now = this.executor.now();
    for (const id of present) await this.executor.execute(orphanDecider, stream, { type: 'RecordSeen', hostId: host.id, kind, id, now }, ctx, NO_WAIT);
    // Cached: only reconcilers write this stream, and one behind another process's retries its appends.
    const { state } = await this.executor.load(orphanDecider, stream, { cached: true });
    const here = new Set(present);
    for (const orphan of Object.values(state.orphans).filter((o) => o.kind === kind && !here.has(o.id))) {
      await this.executor.execute(orphanDecider, stream, { type: 'RecordGone', kind, id: orphan.id, now }, ctx, NO_WAIT);
    }
    for (const orphan of orphansDue(state, now, this.settings.orphanGraceMs).filter((o) => o.kind === kind && here.has(o.id))) {
      this.log.warnWith('removing an orphan', { host: host.name, kind, id: orphan.id, since: orphan.since });
      await remove(orphan.id);
      await this.executor.execute(orphanDecider, stream, { type: 'RecordRemoved', kind, id: orphan.id, now }, ctx, NO_WAIT);
    }
  }
}
