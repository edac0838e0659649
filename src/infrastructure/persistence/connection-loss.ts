import { ApplicationError } from '../../application/shared/application-error';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATEs of a server going away or refusing connections: class 08 and admin/crash shutdown, cannot connect now. */
const LOST_STATES = /^(08...|57P0[123])$/;
const LOST_MESSAGES =
  /connection terminated|connection timeout|timeout exceeded when trying to connect|connection error|connection ended|not queryable|cannot use a pool after calling end/i;

/** Whether an error means the database could not be reached (as opposed to a query it refused). */
export function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || LOST_STATES.test(e.code))) return true;
  return typeof e.message === 'string' && LOST_MESSAGES.test(e.message);
}

/**
 * The database unreachable, as the API says it: 503 StoreUnavailable with Retry-After. A write
 * whose commit was cut off may or may not have happened; a retry with the same Idempotency-Key is safe.
 */
export function unavailableIfLost(error: unknown): unknown {
  return isConnectionLoss(error) ? new ApplicationError('unavailable', 'StoreUnavailable', 'The database cannot be reached; try again shortly', 2) : error;
}

/** SQLite's disk full (or the quota of its file system): a write refused whole, to be tried again once there is room. */
export function isDiskFull(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    !!e &&
    typeof e === 'object' &&
    (e.code === 'SQLITE_FULL' || e.code === 'ENOSPC' || (typeof e.message === 'string' && /SQLITE_FULL|database or disk is full|ENOSPC/.test(e.message)))
  );
}

/** The store's disk full, as the API says it: 503 StoreFull with Retry-After; nothing of the refused write was kept. */
export function unavailableIfFull(error: unknown): unknown {
  return isDiskFull(error)
    ? new ApplicationError('unavailable', 'StoreFull', "The store's disk is full; nothing was written; try again once space is freed", 30)
    : error;
}
