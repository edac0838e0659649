import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, invalid, notFound, refused } from '../../shared/domain-error';
import {
  Amounts,
  DEFAULT_QUOTAS,
  QUOTA_RESOURCES,
  QuotaResource,
  Quotas,
  addAmounts,
  exceededResources,
  mergeQuotas,
  validateAmounts,
  zeroUsage,
} from '../quota/quota';

export type ProjectEvent =
  | DomainEvent<'ProjectCreated', { projectId: string; name: string; quotas: Quotas; at: string }>
  | DomainEvent<'ProjectQuotasUpdated', { projectId: string; quotas: Quotas; at: string }>
  | DomainEvent<'QuotaReserved', { projectId: string; reservationId: string; amounts: Amounts; at: string }>
  | DomainEvent<'QuotaReleased', { projectId: string; reservationId: string; amounts: Amounts; at: string }>;

export type ProjectCommand =
  | { type: 'CreateProject'; projectId: string; name: string; quotas: Amounts; now: string }
  | { type: 'UpdateQuotas'; quotas: Amounts; now: string }
  | { type: 'ReserveQuota'; reservationId: string; amounts: Amounts; now: string }
  /** Several reservations at once, all or none (a launch of N instances). */
  | { type: 'ReserveQuotaBatch'; reservations: Array<{ reservationId: string; amounts: Amounts }>; now: string }
  | { type: 'ReleaseQuota'; reservationId: string; now: string };

export type ProjectState =
  | { status: 'absent' }
  | {
      status: 'active';
      projectId: string;
      name: string;
      quotas: Quotas;
      usage: Record<QuotaResource, number>;
      reservations: Record<string, Amounts>;
    };

export const projectStream = (projectId: string) => `project-${projectId}`;

export const projectDecider: Decider<ProjectState, ProjectCommand, ProjectEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (command.type === 'CreateProject') {
      if (state.status !== 'absent') throw conflict('ProjectExists', `Project ${command.projectId} already exists`);
      const quotas = mergeQuotas(DEFAULT_QUOTAS, command.quotas);
      return [{ type: 'ProjectCreated', data: { projectId: command.projectId, name: command.name, quotas, at: command.now } }];
    }
    if (state.status === 'absent') throw notFound('ProjectNotFound', 'Project not found');
    switch (command.type) {
      case 'UpdateQuotas': {
        const quotas = mergeQuotas(state.quotas, command.quotas);
        if (QUOTA_RESOURCES.every((r) => quotas[r] === state.quotas[r])) return [];
        return [{ type: 'ProjectQuotasUpdated', data: { projectId: state.projectId, quotas, at: command.now } }];
      }
      case 'ReserveQuota': {
        if (state.reservations[command.reservationId]) return []; // idempotent: the same reservation twice is one
        validateAmounts(command.amounts);
        const exceeded = exceededResources(state.quotas, state.usage, command.amounts);
        if (exceeded.length > 0) {
          throw refused(
            'QuotaExceeded',
            `Quota exceeded for ${exceeded.join(', ')}`,
            exceeded.map((r) => ({
              field: r,
              message: `limit ${state.quotas[r]}, used ${state.usage[r]}, requested ${command.amounts[r] ?? 0}`,
            })),
          );
        }
        return [
          {
            type: 'QuotaReserved',
            data: { projectId: state.projectId, reservationId: command.reservationId, amounts: command.amounts, at: command.now },
          },
        ];
      }
      case 'ReserveQuotaBatch': {
        const fresh = command.reservations.filter((r) => !state.reservations[r.reservationId]);
        if (new Set(fresh.map((r) => r.reservationId)).size !== fresh.length) throw invalid('DuplicateReservation', 'A reservation id appears twice');
        fresh.forEach((r) => validateAmounts(r.amounts));
        const total = fresh.reduce<Amounts>((sum, r) => addAmounts(sum as Record<QuotaResource, number>, r.amounts, 1), zeroUsage());
        const exceeded = exceededResources(state.quotas, state.usage, total);
        if (exceeded.length > 0) {
          throw refused(
            'QuotaExceeded',
            `Quota exceeded for ${exceeded.join(', ')}`,
            exceeded.map((r) => ({ field: r, message: `limit ${state.quotas[r]}, used ${state.usage[r]}, requested ${total[r] ?? 0}` })),
          );
        }
        return fresh.map((r) => ({
          type: 'QuotaReserved' as const,
          data: { projectId: state.projectId, reservationId: r.reservationId, amounts: r.amounts, at: command.now },
        }));
      }
      case 'ReleaseQuota': {
        const amounts = state.reservations[command.reservationId];
        if (!amounts) return []; // releasing twice, or something never reserved, changes nothing
        return [{ type: 'QuotaReleased', data: { projectId: state.projectId, reservationId: command.reservationId, amounts, at: command.now } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ProjectCreated':
        return {
          status: 'active',
          projectId: event.data.projectId,
          name: event.data.name,
          quotas: event.data.quotas,
          usage: zeroUsage(),
          reservations: {},
        };
      case 'ProjectQuotasUpdated':
        return state.status === 'active' ? { ...state, quotas: event.data.quotas } : state;
      case 'QuotaReserved':
        if (state.status !== 'active') return state;
        return {
          ...state,
          usage: addAmounts(state.usage, event.data.amounts, 1),
          reservations: { ...state.reservations, [event.data.reservationId]: event.data.amounts },
        };
      case 'QuotaReleased': {
        if (state.status !== 'active') return state;
        const { [event.data.reservationId]: _released, ...rest } = state.reservations;
        return { ...state, usage: addAmounts(state.usage, event.data.amounts, -1), reservations: rest };
      }
      default:
        return assertNever(event);
    }
  },
};
