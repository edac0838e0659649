import { ReconcileResult, done, requeueAfter } from './reconcile-result';

/** More steps than this in one reconcile go on in the next one, behind the keys already waiting. */
const MAX_STEPS_PER_RECONCILE = 50;

/**
 * One reconcile of a resource that moves on step by step: runs `step` until it reports that
 * nothing is left (false). Each step that succeeds calls `progressed` (the loop then forgets the
 * key's earlier failures, as controller-runtime's rate limiter forgets a key), so that a step
 * that throws fails the reconcile as the first failure of that step: only failures of one step in
 * a row count toward giving up, and its backoff starts afresh.
 */
export async function runSteps(step: (first: boolean) => Promise<boolean>, progressed: () => void): Promise<ReconcileResult> {
  for (let n = 0; n < MAX_STEPS_PER_RECONCILE; n++) {
    if (!(await step(n === 0))) return done;
    progressed();
  }
  return requeueAfter(0);
}
