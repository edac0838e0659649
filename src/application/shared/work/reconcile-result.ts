/**
 * What one reconcile of a key asks for next, after controller-runtime's `reconcile.Result`:
 * nothing until the key is kicked again, or another reconcile after a delay (0: at once, behind
 * the keys already waiting). A reconcile that throws is retried with backoff (see ReconcileLoop).
 */
export type ReconcileResult = { kind: 'done' } | { kind: 'requeueAfter'; ms: number };

export const done: ReconcileResult = { kind: 'done' };
export const requeueAfter = (ms: number): ReconcileResult => ({ kind: 'requeueAfter', ms: Math.max(0, ms) });

export type Reconcile = (key: string) => Promise<ReconcileResult>;
