import { Injectable } from '@nestjs/common';
import { ProjectCommand, ProjectState, projectDecider, projectStream } from '../../domain/identity/project/project.decider';
import { currentQuota, projectQuotaDecider, projectQuotaStream } from '../../domain/identity/quota/project-quota.decider';
import { Amounts, howManyFit } from '../../domain/identity/quota/quota';
import { CommandContext } from '../shared/command-context';
import { CommandExecutor } from '../shared/command-executor';

type Options = { waitForReadModels?: boolean };
type QuotaCommand = Exclude<ProjectCommand, { type: 'CreateProject' }>;

/**
 * A project's quota in this region, for the other contexts: reservations keyed by what they are
 * for (an instance, a volume, a network, a floating IP), so that a retried step never reserves
 * twice and a release gives back exactly what was reserved. All on the project's quota stream in
 * this region's store (see projectQuotaDecider): concurrent reservations cannot overshoot a limit,
 * and the region's quota does not depend on the shared identity store being reachable.
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
    const project = await this.project(projectId);
    const reserved = await this.executor.execute(
      projectQuotaDecider,
      projectQuotaStream(projectId),
      (ledger) => {
        const state = currentQuota(ledger, project);
        const fit = state.status === 'active' ? howManyFit(state.quotas, state.usage, per) : 0;
        // Fewer than minCount fitting means asking for minCount, which the project refuses.
        const count = Math.max(minCount, Math.min(candidateIds.length, fit));
        const reservations = candidateIds.slice(0, count).map((reservationId) => ({ reservationId, amounts: per }));
        return { project, command: { type: 'ReserveQuotaBatch' as const, reservations, now: this.executor.now() } };
      },
      ctx,
      { waitForReadModels: false },
    );
    return reserved.events.filter((e) => e.type === 'QuotaReserved').map((e) => (e.data as { reservationId: string }).reservationId);
  }

  /** Gives back a reservation (nothing if it is not held). */
  async release(projectId: string, reservationId: string, ctx: CommandContext, options: Options = {}): Promise<void> {
    await this.run(projectId, { type: 'ReleaseQuota', reservationId, now: this.executor.now() }, ctx, options);
  }

  /** Sets the project's limits in this region (the others keep theirs). */
  async updateLimits(projectId: string, quotas: Amounts, ctx: CommandContext): Promise<void> {
    await this.run(projectId, { type: 'UpdateQuotas', quotas, now: this.executor.now() }, ctx, {});
  }

  /** Limits and usage in this region, exact the moment a reservation is recorded. */
  async current(projectId: string): Promise<ProjectState> {
    const [project, ledger] = await Promise.all([this.project(projectId), this.executor.load(projectQuotaDecider, projectQuotaStream(projectId))]);
    return currentQuota(ledger.state, project);
  }

  /** The project as its own stream shows it; once it exists nothing there changes what a quota needs, so a cached state serves. */
  private project(projectId: string): Promise<ProjectState> {
    return this.executor.loadConfirmed(projectDecider, projectStream(projectId), (s) => s.status === 'active');
  }

  private async run(projectId: string, command: QuotaCommand, ctx: CommandContext, options: Options) {
    const project = await this.project(projectId);
    return this.executor.execute(projectQuotaDecider, projectQuotaStream(projectId), { project, command }, ctx, options);
  }
}
