import { EventCore, EventTypes } from '../../application/ports/event-store.port';
import { RowFolds } from './row-folds';

/**
 * A read model fed from the global log. `apply` folds events into rows held in `folds`, one
 * fold per table; the runner writes what they changed in the same transaction that moves the
 * projection's checkpoint, so a crash can never apply an event twice or skip one.
 */
export interface Projection {
  readonly name: string;
  /** Tables this projection owns; emptied before a rebuild from position 0. */
  readonly tables: readonly string[];
  /** The event types it folds: it is handed no others, and a catch-up or replay reads no others for it. */
  readonly reads: EventTypes;
  apply(events: readonly EventCore[], folds: RowFolds): Promise<void>;
}
