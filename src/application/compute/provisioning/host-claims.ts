import { Injectable } from '@nestjs/common';
import { Resources, hostDecider, hostStream } from '../../../domain/compute/host/host.decider';
import { CommandContext } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';

const NO_WAIT = { waitForReadModels: false };

/** Claims on hosts' resources, keyed by instance id (a retried claim is the same claim): a host is never overcommitted. */
@Injectable()
export class HostClaims {
  constructor(private readonly executor: CommandExecutor) {}

  /** Claims on the host (HostFull or HostDisabled refuse it). */
  async claim(hostId: string, instanceId: string, resources: Resources, ctx: CommandContext): Promise<void> {
    await this.executor.execute(
      hostDecider,
      hostStream(hostId),
      { type: 'ClaimResources', claimId: instanceId, resources, now: this.executor.now() },
      ctx,
      NO_WAIT,
    );
  }

  /** Gives the claim back (nothing if it is not held). */
  async release(hostId: string, instanceId: string, ctx: CommandContext): Promise<void> {
    await this.executor.execute(hostDecider, hostStream(hostId), { type: 'ReleaseClaim', claimId: instanceId, now: this.executor.now() }, ctx, NO_WAIT);
  }
}
