import { Inject, Injectable } from '@nestjs/common';
import { InstanceState, instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { InstanceCommand } from '../../../domain/compute/instance/instance.events';
import { AppLogger, LOGGER } from '../../ports/logger.port';
import { CommandContext } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';

/** An instance that exists: what every provisioning step works on. */
export type Present = Extract<InstanceState, { status: 'present' }>;

const NO_WAIT = { waitForReadModels: false };

/** What the provisioning steps record on an instance's own stream, under the request's correlation id. */
@Injectable()
export class InstanceRecords {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  ctx(s: Present): CommandContext {
    return { principal: 'system:provisioning', projectId: s.projectId, requestId: null, correlationId: s.request.operationId, causationId: s.instanceId };
  }

  record(s: Present, command: InstanceCommand) {
    return this.executor.execute(instanceDecider, instanceStream(s.instanceId), command, this.ctx(s), NO_WAIT);
  }

  /** The build failed for good: error, then everything it holds is given back (see GiveBackStep). */
  async fail(s: Present, reason: string): Promise<void> {
    this.log.warnWith('instance failed', { instanceId: s.instanceId, reason });
    await this.record(s, { type: 'RecordFailed', reason, now: this.executor.now() });
  }

  now(): string {
    return this.executor.now();
  }
}
