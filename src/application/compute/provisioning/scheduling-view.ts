import { Inject, Injectable } from '@nestjs/common';
import { HostState, Resources, freeResources, hostDecider, hostStream } from '../../../domain/compute/host/host.decider';
import { HostCandidate } from '../../../domain/compute/host/scheduler';
import { EVENT_STORE, EventStore } from '../../ports/event-store.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../../ports/read-model-progress.port';
import { CommandExecutor } from '../../shared/command-executor';
import { HostDirectory } from '../host-directory';
import { HostView } from '../ports/compute-read-model.port';
import { ClaimsInFlight } from './claims-in-flight';

const HOST_LIST_TTL_MS = 1_000;

export type Candidate = HostCandidate & { holdsClaim: boolean };

/**
 * The hosts as a scheduling decision sees them: the Host aggregates' cached folded states where
 * this process has them (exact for its own claims, so decisions taken one after another spread
 * correctly without waiting for the read models), less the claims decided but not yet appended;
 * the read model otherwise. The claim itself, on the host's stream, is the guarantee.
 */
@Injectable()
export class SchedulingView {
  private hostListCache: { at: number; hosts: HostView[] } | null = null;
  private readonly inFlight = new ClaimsInFlight();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly hosts: HostDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
  ) {}

  async candidates(instanceId: string): Promise<Candidate[]> {
    return Promise.all(
      (await this.hostList()).map(async (h) => {
        const state = this.executor.peek<HostState>(hostDecider, hostStream(h.id)) ?? (await this.executor.load(hostDecider, hostStream(h.id))).state;
        const registered = state.status === 'registered';
        return {
          hostId: h.id,
          name: h.name,
          zone: h.zone,
          enabled: registered ? state.enabled : h.enabled,
          free: registered ? this.inFlight.deduct(h.id, freeResources(state), state.claims) : h.free,
          holdsClaim: registered && state.claims[instanceId] !== undefined,
        };
      }),
    );
  }

  /** A claim decided, to be counted by the decisions after it until it is appended or refused. */
  deciding(hostId: string, instanceId: string, resources: Resources): void {
    this.inFlight.add(hostId, instanceId, resources);
  }

  decided(hostId: string, instanceId: string): void {
    this.inFlight.remove(hostId, instanceId);
  }

  /** The host list as of now: once the read models include everything appended so far (a host registered just before a launch counts). */
  async refresh(): Promise<void> {
    await this.progress.waitFor(await this.store.headPosition());
    this.hostListCache = null;
  }

  /** The registered hosts, read again at most once a second (see refresh for a launch that finds none). */
  private async hostList(): Promise<HostView[]> {
    const now = Date.now();
    if (!this.hostListCache || now - this.hostListCache.at > HOST_LIST_TTL_MS) this.hostListCache = { at: now, hosts: await this.hosts.all() };
    return this.hostListCache.hosts;
  }
}
