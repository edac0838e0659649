import { NewEvent, RecordedEvent } from '../../../application/ports/event-store.port';

/**
 * The streams of the identity every region shares: projects, users, tokens, access keys, and the
 * claims on project and user names (unique across the cloud). Every other stream, a project's
 * quota included, belongs to its region.
 */
const IDENTITY_STREAM = /^(?:project|user|token|access-key|name-project|name-user)-/;

export const isIdentityStream = (stream: string): boolean => IDENTITY_STREAM.test(stream);

/** A recorded event as an append of the same event elsewhere: its id, data and metadata kept. */
export const asNewEvent = (e: RecordedEvent): NewEvent => ({ id: e.id, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata });

/** Consecutive events of one stream, in log order: each run is one append at the version before its first. */
export function streamRuns(events: readonly RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const e of events) {
    const last = runs[runs.length - 1];
    if (last && last[0].stream === e.stream) last.push(e);
    else runs.push([e]);
  }
  return runs;
}
