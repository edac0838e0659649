import { Injectable } from '@nestjs/common';
import { ProjectCommand, ProjectState, projectDecider, projectStream } from '../../domain/identity/project/project.decider';
import { Amounts, howManyFit } from '../../domain/identity/quota/quota';
import { CommandContext } from '../shared/command-context';
import { CommandExecutor } from '../shared/command-executor';

type Options = { waitForReadModels?: boolean };

/**
 * A project's quota, for the other contexts: reservations keyed by what they are for (an
 * instance, a volume, a network, a floating IP), so that a retried step never reserves twice and
 * a release gives back exactly what was reserved. All on the project's own stream: concurrent
 * reservations cannot overshoot a limit.
 */
@Injectable()
export class QuotaLedger {
  constructor(private readonly executor: CommandExecutor) {}

  /** Reserves `amounts` (422 QuotaExceeded if they do not fit). */
  async reserve(projectId: string, reservationId: string, amounts: Amounts, ctx: CommandContext, options: Options = {}): Promise<void> {
    await this.run(projectId, { type: 'ReserveQuota', reservationId, amounts, now: this.executor.now() }, ctx, options);
  }

  /**
   * Reserves `per` for as many of `candidateIds` as fit, at least `minCount` (else nothing, 422),
   * in one all-or-nothing append; the ids reserved, in order.
   */
  async reserveAsManyAsFit(projectId: string, candidateIds: readonly string[], per: Amounts, minCount: number, ctx: CommandContext): Promise<string[]> {
    const reserved = await this.executor.execute(
      projectDecider,
      projectStream(projectId),
      (state: ProjectState) => {
        const fit = state.status === 'active' ? howManyFit(state.quotas, state.usage, per) : 0;
        // Fewer than minCount fitting means asking for minCount, which the project refuses.
        const count = Math.max(minCount, Math.min(candidateIds.length, fit));
        const reservations = candidateIds.slice(0, count).map((reservationId) => ({ reservationId, amounts: per }));
        return { type: 'ReserveQuotaBatch' as const, reservations, now: this.executor.now() };
      },
      ctx,
      { waitForReadModels: false },
    );
    return reserved.events.map((e) => (e.data as { reservationId: string }).reservationId);
  }

  /** Gives back a reservation (nothing if it is not held). */
  async release(projectId: string, reservationId: string, ctx: CommandContext, options: Options = {}): Promise<void> {
    await this.run(projectId, { type: 'ReleaseQuota', reservationId, now: this.executor.now() }, ctx, options);
  }

  private run(projectId: string, command: ProjectCommand, ctx: CommandContext, options: Options) {
    return this.executor.execute(projectDecider, projectStream(projectId), command, ctx, options);
  }
}
