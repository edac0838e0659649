import { RecordedEvent } from '../../application/ports/event-store.port';
import { Tx } from '../persistence/database';

/**
 * A read model fed from the global log. `apply` runs inside the transaction that also moves the
 * projection's checkpoint, so a crash can never apply an event twice or skip one.
 */
export interface Projection {
  readonly name: string;
  /** Tables this projection owns; emptied before a rebuild from position 0. */
  readonly tables: readonly string[];
  apply(events: readonly RecordedEvent[], tx: Tx): Promise<void>;
}
