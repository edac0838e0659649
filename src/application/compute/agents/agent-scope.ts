import { hostDecider, hostStream } from '../../../domain/compute/host/host.decider';
import { CommandExecutor } from '../../shared/command-executor';
import { CommandContext } from '../../shared/command-context';
import { HostScope } from '../ports/host-scope.port';

/**
 * A standalone compute agent's scope: its own host. Starting records that it took the host over
 * (the orchestrator then leaves the host's instances to it); a clean stop hands the host back. An
 * agent that dies without stopping keeps the host until it, or another agent, starts again: the
 * host's instances wait, as Nova's do while their nova-compute is down.
 */
export class AgentScope implements HostScope {
  readonly storage = false;

  constructor(
    readonly hostId: string,
    readonly agentId: string,
    private readonly executor: CommandExecutor,
  ) {}

  drives(hostId: string | null): boolean {
    return hostId === this.hostId;
  }

  onTakeOver(): void {
    // Nothing comes back to an agent: it drives its host from start to stop.
  }

  async start(): Promise<void> {
    await this.executor.execute(hostDecider, hostStream(this.hostId), { type: 'AttachAgent', agentId: this.agentId, now: this.executor.now() }, this.ctx(), {
      waitForReadModels: false,
    });
  }

  async stop(): Promise<void> {
    await this.executor.execute(hostDecider, hostStream(this.hostId), { type: 'DetachAgent', agentId: this.agentId, now: this.executor.now() }, this.ctx(), {
      waitForReadModels: false,
    });
  }

  private ctx(): CommandContext {
    return { principal: `system:agent:${this.agentId}`, projectId: null, requestId: null, correlationId: this.agentId, causationId: null };
  }
}
