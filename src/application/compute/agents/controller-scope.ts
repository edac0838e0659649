import { Inject, Injectable } from '@nestjs/common';
import { hostDecider, hostStream } from '../../../domain/compute/host/host.decider';
import { CommandExecutor } from '../../shared/command-executor';
import { EVENT_STORE, EventStore, Subscription } from '../../ports/event-store.port';
import { AppLogger, LOGGER } from '../../ports/logger.port';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../ports/compute-read-model.port';
import { HostScope } from '../ports/host-scope.port';

/**
 * The orchestrator's scope: every host but those a standalone agent has taken over, which it
 * learns from the hosts' streams and then from the log (HostAgentAttached / HostAgentDetached).
 */
@Injectable()
export class ControllerScope implements HostScope {
  readonly storage = true;
  private readonly agents = new Map<string, string>();
  private readonly listeners: Array<(hostId: string) => void> = [];
  private subscription: Subscription | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    private readonly executor: CommandExecutor,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  drives(hostId: string | null): boolean {
    return hostId === null || !this.agents.has(hostId);
  }

  onTakeOver(listener: (hostId: string) => void): void {
    this.listeners.push(listener);
  }

  /** The hosts' current agents from their streams, then every change after the head: replayed in order, they end where the log does. */
  async start(): Promise<void> {
    const head = await this.store.headPosition();
    for (const host of await this.compute.allHosts()) {
      const { state } = await this.executor.load(hostDecider, hostStream(host.id));
      if (state.status === 'registered' && state.agentId) this.agents.set(host.id, state.agentId);
    }
    this.subscription = this.store.subscribe(head, async (events) => {
      for (const e of events) {
        if (e.type !== 'HostAgentAttached' && e.type !== 'HostAgentDetached') continue;
        const { hostId, agentId } = e.data as { hostId: string; agentId: string };
        if (e.type === 'HostAgentAttached') {
          this.agents.set(hostId, agentId);
          this.log.info('a standalone agent took over a host', { hostId, agentId });
        } else if (this.agents.get(hostId) === agentId) {
          this.agents.delete(hostId);
          this.log.info('a standalone agent let go of a host; driving it again', { hostId, agentId });
          for (const listener of this.listeners) listener(hostId);
        }
      }
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }
}
