import { BeforeApplicationShutdown, Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { EventLogQueries } from '../../../application/events/event-log.queries';
import { Subscription } from '../../../application/ports/event-store.port';
import { Principal } from '../../../application/shared/command-context';
import { ApiError } from '../shared/error-response';
import { CurrentPrincipal } from '../shared/decorators';
import { HttpRequest } from '../shared/http-request';
import { EventsQueryDto } from './events.dto';

const HEARTBEAT_MS = 15_000;

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController implements BeforeApplicationShutdown {
  private readonly streams = new Set<{ subscription: Subscription; response: Response }>();

  constructor(private readonly events: EventLogQueries) {}

  @Get()
  @ApiOperation({ summary: "The audit log from a position: everything for an admin, one's project otherwise" })
  list(@Query() q: EventsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.events.list(principal, q.after ?? Number(q.cursor ?? 0), q.limit ?? 100, filterOf(q));
  }

  @Get('head')
  @ApiOperation({ summary: "The last event's position: follow the stream from it to see only what happens next" })
  head() {
    return this.events.head();
  }

  @Get('stream')
  @ApiOperation({ summary: 'The audit log as Server-Sent Events, live; resumable with Last-Event-ID' })
  stream(
    @Query() q: EventsQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
    @Res() response: Response,
  ): void {
    if (lastEventId !== undefined && !/^\d{1,16}$/.test(lastEventId)) {
      throw new ApiError(400, 'InvalidLastEventId', 'Last-Event-ID must be an event position');
    }
    const after = lastEventId !== undefined ? Number(lastEventId) : (q.after ?? 0);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Request-Id': request.requestId,
    });
    response.write(': connected\n\n');
    const subscription = this.events.follow(principal, after, filterOf(q), async (events) => {
      for (const e of events) response.write(`id: ${e.position}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    });
    const entry = { subscription, response };
    this.streams.add(entry);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      this.streams.delete(entry);
      void subscription.stop();
    };
    request.on('close', close);
    subscription.done.catch(() => response.end());
  }

  /** Open streams are ended before the HTTP server closes, which waits for its connections. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(
      [...this.streams].map(async ({ subscription, response }) => {
        await subscription.stop();
        response.end();
      }),
    );
  }
}

const filterOf = (q: EventsQueryDto) => ({
  types: q.type ? q.type.split(',') : undefined,
  stream: q.stream,
  projectId: q.project,
  principal: q.principal,
  from: q.from,
  to: q.to,
});
