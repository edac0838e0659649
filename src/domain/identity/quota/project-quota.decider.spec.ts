import { specFor } from '../../../../test/support/decider-spec';
import { fold } from '../../shared/decider';
import { ProjectEvent, ProjectState, projectDecider } from '../project/project.decider';
import { DEFAULT_QUOTAS } from './quota';
import { ProjectQuotaEvent, projectQuotaDecider } from './project-quota.decider';

const at = '2026-01-01T00:00:00.000Z';
const created: ProjectEvent = { type: 'ProjectCreated', data: { projectId: 'prj-1', name: 'p', quotas: { ...DEFAULT_QUOTAS, instances: 2 }, at } };
const project = (...events: ProjectEvent[]): ProjectState => fold(projectDecider, [created, ...events]);
const spec = specFor(projectQuotaDecider);
const reserved = (reservationId: string, instances: number): ProjectQuotaEvent => ({
  type: 'QuotaReserved',
  data: { projectId: 'prj-1', reservationId, amounts: { instances }, at },
});
const opened = (reservations: Record<string, { instances: number }> = {}, instances = 2): ProjectQuotaEvent => ({
  type: 'QuotaLedgerOpened',
  data: { projectId: 'prj-1', quotas: { ...DEFAULT_QUOTAS, instances }, reservations, at },
});

describe('A project quota in one region', () => {
  it('opens on its first change with the project limits, then reserves', () =>
    spec
      .given([])
      .when({ project: project(), command: { type: 'ReserveQuota', reservationId: 'r1', amounts: { instances: 1 }, now: at } })
      .then([opened(), reserved('r1', 1)]));

  it('decides on its own limits once opened, not on the project stream', () =>
    spec
      .given([opened(), reserved('r1', 2)])
      .when({ project: project(), command: { type: 'ReserveQuota', reservationId: 'r2', amounts: { instances: 1 }, now: at } })
      .thenThrows('QuotaExceeded'));

  it('keeps the reservations the project stream held before quotas were regional', () =>
    spec
      .given([])
      .when({
        project: project(reserved('old', 2) as ProjectEvent),
        command: { type: 'ReserveQuota', reservationId: 'r1', amounts: { instances: 1 }, now: at },
      })
      .thenThrows('QuotaExceeded'));

  it('releases an older reservation once, opening the ledger with it', () =>
    spec
      .given([])
      .when({ project: project(reserved('old', 2) as ProjectEvent), command: { type: 'ReleaseQuota', reservationId: 'old', now: at } })
      .then([opened({ old: { instances: 2 } }), { type: 'QuotaReleased', data: { projectId: 'prj-1', reservationId: 'old', amounts: { instances: 2 }, at } }]));

  it('changes its limits in this region only, and records nothing for no change', () => {
    spec
      .given([])
      .when({ project: project(), command: { type: 'UpdateQuotas', quotas: { instances: 5 }, now: at } })
      .then([opened(), { type: 'ProjectQuotasUpdated', data: { projectId: 'prj-1', quotas: { ...DEFAULT_QUOTAS, instances: 5 }, at } }]);
    spec
      .given([])
      .when({ project: project(), command: { type: 'UpdateQuotas', quotas: { instances: 2 }, now: at } })
      .then([]);
  });

  it('refuses a project that does not exist', () =>
    spec
      .given([])
      .when({ project: { status: 'absent' }, command: { type: 'ReserveQuota', reservationId: 'r1', amounts: { instances: 1 }, now: at } })
      .thenThrows('ProjectNotFound'));
});
