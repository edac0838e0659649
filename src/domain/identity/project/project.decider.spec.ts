import fc from 'fast-check';
import { specFor } from '../../../../test/support/decider-spec';
import { fold } from '../../shared/decider';
import { DEFAULT_QUOTAS, QUOTA_RESOURCES, UNLIMITED } from '../quota/quota';
import { ProjectCommand, ProjectEvent, projectDecider } from './project.decider';

const at = '2026-01-01T00:00:00.000Z';
const created: ProjectEvent = { type: 'ProjectCreated', data: { projectId: 'prj-1', name: 'p', quotas: { ...DEFAULT_QUOTAS, instances: 2 }, at } };
const spec = specFor(projectDecider);

describe('Project decider', () => {
  it('creates a project with default quotas overridden by the given ones', () =>
    spec
      .given([])
      .when({ type: 'CreateProject', projectId: 'prj-1', name: 'p', quotas: { instances: 2 }, now: at })
      .then([created]));

  it('refuses to create a project twice', () =>
    spec.given([created]).when({ type: 'CreateProject', projectId: 'prj-1', name: 'p', quotas: {}, now: at }).thenThrows('ProjectExists'));

  it('refuses commands for a project that does not exist', () =>
    spec
      .given([])
      .when({ type: 'UpdateQuotas', quotas: { vcpus: 1 }, now: at })
      .thenThrows('ProjectNotFound'));

  it('refuses invalid quota values', () =>
    spec
      .given([created])
      .when({ type: 'UpdateQuotas', quotas: { vcpus: -2 }, now: at })
      .thenThrows('InvalidQuota'));

  it('records nothing when quotas do not change', () =>
    spec
      .given([created])
      .when({ type: 'UpdateQuotas', quotas: { instances: 2 }, now: at })
      .then([]));

  it('reserves within the quota and refuses beyond it', () => {
    const reserved: ProjectEvent = { type: 'QuotaReserved', data: { projectId: 'prj-1', reservationId: 'r1', amounts: { instances: 2 }, at } };
    spec
      .given([created])
      .when({ type: 'ReserveQuota', reservationId: 'r1', amounts: { instances: 2 }, now: at })
      .then([reserved]);
    spec
      .given([created, reserved])
      .when({ type: 'ReserveQuota', reservationId: 'r2', amounts: { instances: 1 }, now: at })
      .thenThrows('QuotaExceeded');
  });

  it('treats a repeated reservation id as the same reservation, and releases once', () => {
    const reserved: ProjectEvent = { type: 'QuotaReserved', data: { projectId: 'prj-1', reservationId: 'r1', amounts: { instances: 1 }, at } };
    const released: ProjectEvent = { type: 'QuotaReleased', data: { projectId: 'prj-1', reservationId: 'r1', amounts: { instances: 1 }, at } };
    spec
      .given([created, reserved])
      .when({ type: 'ReserveQuota', reservationId: 'r1', amounts: { instances: 1 }, now: at })
      .then([]);
    spec.given([created, reserved]).when({ type: 'ReleaseQuota', reservationId: 'r1', now: at }).then([released]);
    spec.given([created, reserved, released]).when({ type: 'ReleaseQuota', reservationId: 'r1', now: at }).then([]);
  });

  it('reserves a batch all or nothing', () => {
    const batch = (n: number): ProjectCommand => ({
      type: 'ReserveQuotaBatch',
      reservations: Array.from({ length: n }, (_, i) => ({ reservationId: `i${i}`, amounts: { instances: 1, vcpus: 2 } })),
      now: at,
    });
    spec.given([created]).when(batch(3)).thenThrows('QuotaExceeded');
    expect(projectDecider.decide(batch(2), fold(projectDecider, [created]))).toHaveLength(2);
  });

  it('never lets usage exceed a limit, whatever the sequence of commands (property)', () => {
    const resource = fc.constantFrom(...QUOTA_RESOURCES);
    const command: fc.Arbitrary<ProjectCommand> = fc.oneof(
      fc.record({
        type: fc.constant('ReserveQuota' as const),
        reservationId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
        amounts: fc.dictionary(resource, fc.integer({ min: 0, max: 8 })),
        now: fc.constant(at),
      }),
      fc.record({ type: fc.constant('ReleaseQuota' as const), reservationId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), now: fc.constant(at) }),
      fc.record({ type: fc.constant('UpdateQuotas' as const), quotas: fc.dictionary(resource, fc.integer({ min: UNLIMITED, max: 12 })), now: fc.constant(at) }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const events: ProjectEvent[] = [{ ...created, data: { ...created.data, quotas: { ...DEFAULT_QUOTAS, instances: 5, vcpus: 5 } } }];
        for (const c of commands) {
          const before = fold(projectDecider, events);
          let produced: ProjectEvent[] = [];
          try {
            produced = projectDecider.decide(c, before);
          } catch (error) {
            expect((error as { code?: string }).code).toMatch(/QuotaExceeded|InvalidQuota|InvalidQuotaAmount/);
          }
          const after = produced.reduce(projectDecider.evolve, before);
          if (after.status !== 'active' || before.status !== 'active') throw new Error('project vanished');
          // A limit may be lowered below usage (as in Nova); then no reservation may ask for more of it.
          // A reservation that lands keeps every resource it asks for within its limit.
          if (c.type === 'ReserveQuota' && produced.length > 0) {
            for (const r of QUOTA_RESOURCES) {
              if ((c.amounts[r] ?? 0) > 0 && before.quotas[r] !== UNLIMITED) expect(after.usage[r]).toBeLessThanOrEqual(before.quotas[r]);
            }
          }
          events.push(...produced);
        }
        // Usage is always the sum of the open reservations.
        const state = fold(projectDecider, events);
        if (state.status !== 'active') throw new Error('project vanished');
        for (const r of QUOTA_RESOURCES) {
          const open = Object.values(state.reservations).reduce((sum, a) => sum + (a[r] ?? 0), 0);
          expect(state.usage[r]).toBe(open);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('evolve is total: any event on any state gives a state (property)', () => {
    const event = fc.oneof(
      fc.constant(created),
      fc.record({
        type: fc.constant('QuotaReleased' as const),
        data: fc.record({ projectId: fc.constant('prj-1'), reservationId: fc.string(), amounts: fc.constant({}), at: fc.constant(at) }),
      }),
      fc.record({
        type: fc.constant('ProjectQuotasUpdated' as const),
        data: fc.record({ projectId: fc.constant('prj-1'), quotas: fc.constant(DEFAULT_QUOTAS), at: fc.constant(at) }),
      }),
    );
    fc.assert(fc.property(fc.array(event as fc.Arbitrary<ProjectEvent>), (events) => expect(() => fold(projectDecider, events)).not.toThrow()));
  });
});
