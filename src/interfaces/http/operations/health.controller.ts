import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { EVENT_STORE, EventStore } from '../../../application/ports/event-store.port';
import { METRICS, Metrics } from '../../../application/ports/metrics.port';
import { Access } from '../shared/decorators';
import { Readiness } from './readiness';

@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(METRICS) private readonly metrics: Metrics,
    private readonly readiness: Readiness,
  ) {}

  @Get('healthz')
  @Access('public')
  healthz() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Access('public')
  async readyz(@Res() response: Response) {
    if (this.readiness.draining) {
      response.setHeader('Retry-After', '5');
      return void response.status(503).json({ status: 'draining', checks: {} });
    }
    const store = await this.store.ping();
    if (!store) response.setHeader('Retry-After', '5');
    response.status(store ? 200 : 503).json({ status: store ? 'ready' : 'unavailable', checks: { eventStore: store ? 'up' : 'down' } });
  }

  @Get('metrics')
  @Access('public')
  async prometheus(@Res() response: Response) {
    const { contentType, body } = await this.metrics.render();
    response.setHeader('Content-Type', contentType);
    response.send(body);
  }
}
