import {
  AppendResult,
  EventCore,
  EventStore,
  EventTypes,
  ExpectedVersion,
  NewEvent,
  ReadAllFilter,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
  WrongExpectedVersion,
} from '../../../application/ports/event-store.port';
import { ApplicationError } from '../../../application/shared/application-error';
import { IdentityMirror } from './identity-mirror';
import { isIdentityStream } from './identity-streams';

/**
 * A region's event store when identity is shared between regions: identity streams are decided
 * and appended in the identity store (one writer for every region: a name taken, a token revoked,
 * is so everywhere at once), then copied into this region's log before the append answers, so the
 * writer's read-your-writes wait works on local positions as for any other event. Everything else,
 * and every read of the log, is this region's own store.
 */
export class IdentityRoutingStore implements EventStore {
  constructor(
    private readonly local: EventStore,
    private readonly identity: EventStore,
    private readonly mirror: IdentityMirror,
    private readonly closeIdentity: () => Promise<void>,
  ) {}

  async append(stream: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    if (!isIdentityStream(stream)) return this.local.append(stream, events, expected);
    const appended = await this.identity.append(stream, events, expected).catch((error: unknown) => {
      if (error instanceof WrongExpectedVersion) throw error;
      throw new ApplicationError('unavailable', 'IdentityUnavailable', 'The identity store that every region shares cannot be reached; try again shortly');
    });
    await this.mirror.catchUp();
    const ids = new Set(events.map((e) => e.id));
    const copies = await this.local.readStream(stream, appended.nextVersion - events.length + 1);
    const positions = copies.filter((e) => ids.has(e.id)).map((e) => e.position);
    return { nextVersion: appended.nextVersion, positions };
  }

  /** An identity stream as the identity store holds it; this region's copy while that store cannot be reached (a decision on it then fails on its append). */
  async readStream(stream: string, fromVersion?: number): Promise<RecordedEvent[]> {
    if (!isIdentityStream(stream)) return this.local.readStream(stream, fromVersion);
    try {
      return await this.identity.readStream(stream, fromVersion);
    } catch {
      return this.local.readStream(stream, fromVersion);
    }
  }

  readAll(after: number, limit: number, filter?: ReadAllFilter): Promise<RecordedEvent[]> {
    return this.local.readAll(after, limit, filter);
  }

  readCores(after: number, through: number, limit: number, types?: EventTypes): Promise<EventCore[]> {
    return this.local.readCores(after, through, limit, types);
  }

  headPosition(): Promise<number> {
    return this.local.headPosition();
  }

  subscribe(after: number, handler: SubscriptionHandler, options?: SubscribeOptions): Subscription {
    return this.local.subscribe(after, handler, options);
  }

  ping(): Promise<boolean> {
    return this.local.ping();
  }

  async close(): Promise<void> {
    await this.local.close();
    await this.closeIdentity();
  }
}
