import { Decider, DomainEvent } from '../../shared/decider';
import { ProjectCommand, ProjectEvent, ProjectState, projectDecider } from '../project/project.decider';
import { Amounts, QuotaResource, Quotas, addAmounts, zeroUsage } from './quota';

type ActiveProject = Extract<ProjectState, { status: 'active' }>;
type QuotaEvent = Exclude<ProjectEvent, { type: 'ProjectCreated' }>;

/**
 * A project's quota in one region (Nova and Cinder keep quotas per region): its own stream in the
 * region's store, while the project itself belongs to the identity that every region shares. The
 * ledger opens on its first change with the project's limits and whatever reservations the
 * project's stream holds (those recorded before quotas moved here), so it folds alone.
 */
export type ProjectQuotaEvent =
  QuotaEvent | DomainEvent<'QuotaLedgerOpened', { projectId: string; quotas: Quotas; reservations: Record<string, Amounts>; at: string }>;

/** A quota command, with the project as its own stream shows it (for its existence, default limits and older reservations). */
export type ProjectQuotaCommand = { project: ProjectState; command: Exclude<ProjectCommand, { type: 'CreateProject' }> };

export type ProjectQuotaState = { opened: false } | { opened: true; project: ActiveProject };

export const projectQuotaStream = (projectId: string) => `quota-${projectId}`;

/** The quota as it stands: the ledger once opened, else the project's own. */
export const currentQuota = (state: ProjectQuotaState, project: ProjectState): ProjectState => (state.opened ? state.project : project);

export const projectQuotaDecider: Decider<ProjectQuotaState, ProjectQuotaCommand, ProjectQuotaEvent> = {
  initialState: () => ({ opened: false }),

  decide({ project, command }, state) {
    const base = currentQuota(state, project);
    const events = projectDecider.decide(command, base) as QuotaEvent[];
    if (state.opened || events.length === 0 || base.status !== 'active') return events;
    const opened: ProjectQuotaEvent = {
      type: 'QuotaLedgerOpened',
      data: { projectId: base.projectId, quotas: base.quotas, reservations: base.reservations, at: command.now },
    };
    return [opened, ...events];
  },

  evolve(state, event) {
    if (event.type === 'QuotaLedgerOpened') {
      const { projectId, quotas, reservations } = event.data;
      const usage = Object.values(reservations).reduce<Record<QuotaResource, number>>((sum, amounts) => addAmounts(sum, amounts, 1), zeroUsage());
      return { opened: true, project: { status: 'active', projectId, name: '', quotas, usage, reservations } };
    }
    if (!state.opened) return state;
    return { opened: true, project: projectDecider.evolve(state.project, event) as ActiveProject };
  },
};
