import { InstanceView, OperationRecord } from '../compute/public';

export type OperationStatus = 'running' | 'succeeded' | 'failed' | 'compensated';

/**
 * An operation's status, from its instances: running while any still has work (including giving
 * back what a failed one held); then for a launch succeeded (all active), compensated (all failed,
 * everything given back) or failed (some failed); for a delete succeeded once all are deleted; for
 * an action succeeded unless one ended in error.
 */
export function operationStatus(kind: string, instances: readonly InstanceView[]): OperationStatus {
  if (instances.some((i) => i.state === 'pending' || i.taskState !== null || (i.state === 'error' && !i.released))) return 'running';
  if (kind === 'delete') return instances.every((i) => i.state === 'deleted') ? 'succeeded' : 'failed';
  const failed = instances.filter((i) => i.state === 'error');
  if (failed.length === 0) return 'succeeded';
  return kind === 'launch' && failed.length === instances.length ? 'compensated' : 'failed';
}

/** The status a volume operation aims at. */
export const VOLUME_GOALS: Record<string, string> = {
  'volume-create': 'available',
  'volume-attach': 'in-use',
  'volume-detach': 'available',
  'volume-delete': 'deleted',
};

/**
 * An operation on volumes or snapshots: running while any is in transition (or not projected yet),
 * then succeeded if every one reached the goal, failed otherwise.
 */
export function towardsGoal(
  operation: OperationRecord,
  idField: 'volumeId' | 'snapshotId',
  ids: readonly string[],
  found: ReadonlyArray<{ status: string; failure?: string | null } | null>,
  goal: string,
  transitional: readonly string[],
) {
  const running = found.some((x) => !x || transitional.includes(x.status));
  const status: OperationStatus = running ? 'running' : found.every((x) => x?.status === goal) ? 'succeeded' : 'failed';
  return {
    id: operation.id,
    kind: operation.kind,
    projectId: operation.projectId,
    status,
    createdAt: operation.createdAt,
    steps: found.map((x, i) => ({ [idField]: ids[i], status: x?.status ?? 'creating' })),
    errors: status === 'failed' ? found.map((x, i) => ({ [idField]: ids[i], message: x?.failure ?? `ended ${x?.status}, expected ${goal}` })) : [],
  };
}
