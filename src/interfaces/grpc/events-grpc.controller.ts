import { BeforeApplicationShutdown } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Observable, Subscriber } from 'rxjs';
import { EventLogQueries } from '../../application/events/event-log.queries';
import { RecordedEvent } from '../../application/ports/event-store.port';
import { Principal } from '../../application/shared/command-context';
import { EventsQueryDto } from '../http/events/events.dto';
import { Access } from '../http/shared/decorators';
import { GrpcController } from './grpc-controller.decorator';
import { GrpcPrincipal } from './grpc-call';
import { validated } from './grpc-validation';

type WatchEventsRequest = { after?: number; types?: string[]; stream?: string; project?: string; principal?: string };

const toMessage = (e: RecordedEvent) => ({
  position: e.position,
  id: e.id,
  type: e.type,
  schemaVersion: e.schemaVersion,
  stream: e.stream,
  version: e.version,
  dataJson: JSON.stringify(e.data),
  metadata: e.metadata,
});

@GrpcController()
export class EventsGrpcController implements BeforeApplicationShutdown {
  private readonly watchers = new Set<Subscriber<unknown>>();

  constructor(private readonly events: EventLogQueries) {}

  /** The log from `after`, then live until the client cancels (or the server shuts down: the stream ends, resume from the last position). */
  @GrpcMethod('Events', 'WatchEvents')
  @Access('read')
  async watchEvents(@Payload() { types, ...rest }: WatchEventsRequest, @GrpcPrincipal() p: Principal): Promise<Observable<ReturnType<typeof toMessage>>> {
    const q = await validated(EventsQueryDto, { ...rest, ...(types && types.length > 0 ? { type: types.join(',') } : {}) });
    const filter = { types: q.type?.split(','), stream: q.stream, projectId: q.project, principal: q.principal };
    return new Observable((subscriber) => {
      const subscription = this.events.follow(p, q.after ?? 0, filter, async (batch) => {
        for (const e of batch) subscriber.next(toMessage(e));
      });
      subscription.done.catch((error: unknown) => subscriber.error(error));
      this.watchers.add(subscriber);
      return () => {
        this.watchers.delete(subscriber);
        void subscription.stop();
      };
    });
  }

  beforeApplicationShutdown(): void {
    for (const watcher of [...this.watchers]) watcher.complete();
  }
}
