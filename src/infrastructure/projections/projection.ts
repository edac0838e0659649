import { EventCore } from '../../application/ports/event-store.port';
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
  apply(events: readonly EventCore[], folds: RowFolds): Promise<void>;
}
