import { Inject, Injectable } from '@nestjs/common';
import { instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { PowerState } from '../../../domain/compute/instance/instance-states';
import { OrphanKind, orphanDecider, orphansDue, orphansStream } from '../../../domain/compute/reconciliation/orphans.decider';
import { DomainError } from '../../../domain/shared/domain-error';
import { VolumeState, volumeDecider, volumeStream } from '../../../domain/storage/volume/volume.decider';
import { NetworkState, networkDecider, networkStream } from '../../../domain/network/network/network.decider';
import { Decider, DomainEvent } from '../../../domain/shared/decider';
import { CommandExecutor } from '../../shared/command-executor';
import { AppLogger, LOGGER } from '../../ports/logger.port';
import { EVENT_STORE, EventStore, Subscription } from '../../ports/event-store.port';
import { CommandContext } from '../../shared/command-context';
import { DriverError } from '../../shared/driver-error';
import { COMPUTE_READ_MODEL, ComputeReadModel, HostView } from '../ports/compute-read-model.port';
import { INSTANCE_READ_MODEL, InstanceReadModel, InstanceView } from '../ports/instance-read-model.port';
import { HOST_DRIVERS, HostDrivers } from '../ports/host-drivers.port';
import { HOST_SCOPE, HostScope } from '../ports/host-scope.port';
import { portIdFor } from '../provisioning/derived-ids';
import { PortRepairer } from '../../network/port-repair';

export type PowerDriftPolicy = 'accept' | 'restore';
export type ReconcilerSettings = { intervalMs: number; orphanGraceMs: number; powerDriftPolicy: PowerDriftPolicy };
export const RECONCILER_SETTINGS = Symbol('ReconcilerSettings');

const NO_WAIT = { waitForReadModels: false };
/** Block storage is not per host here; its orphans are kept under this pseudo-host. */
const STORAGE = { id: 'block-storage', name: 'block storage' };
const ctx = (hostId: string): CommandContext => ({
  principal: 'system:reconciler',
  projectId: null,
  requestId: null,
  correlationId: `reconcile-${hostId}`,
  causationId: null,
});

/**
 * Level-triggered, like a Kubernetes controller: every interval (and at once when a hypervisor
 * reports a lifecycle event) it compares each host's actual domains and switch ports with what
 * the orchestrator believes, and acts on the difference. Nothing is corrected without an event:
 * power drift (InstancePowerStateDrifted, then a stop or restart per policy), a missing domain
 * (InstanceLost), an unknown domain or port (OrphanFound; removed after the grace period with
 * OrphanRemoved; volumes the same way, on the block storage), a port missing on its switch or with drifted rules (PortRepaired). An
 * unreachable host is skipped and retried on the next pass.
 */
/** Lifecycle events trigger a pass of their host at most this often (a launch storm sends one per guest). */
export const EVENT_DEBOUNCE_MS = 500;

@Injectable()
export class Reconciler {
  private timer: NodeJS.Timeout | null = null;
  private readonly watched = new Set<string>();
  private readonly unsubscribers: Array<() => void> = [];
  private running: Promise<void> | null = null;
  /** What the next pass covers: every host and the storage, or the hosts that reported events. */
  private pendingFull = false;
  private readonly pendingHosts = new Set<string>();
  private scheduled: NodeJS.Timeout | null = null;
  private subscription: Subscription | null = null;
  private stopped = false;

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
    @Inject(HOST_DRIVERS) private readonly drivers: HostDrivers,
    @Inject(HOST_SCOPE) private readonly scope: HostScope,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RECONCILER_SETTINGS) private readonly settings: ReconcilerSettings,
    @Inject(LOGGER) private readonly log: AppLogger,
    private readonly ports: PortRepairer,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.timer = setInterval(() => this.trigger(), this.settings.intervalMs);
    this.timer.unref();
    // A floating IP's mapping changes on its instance's host: a host this process drives but did not
    // map inline (a standalone agent's) is reconciled at once rather than at the next interval.
    this.subscription = this.store.subscribe(await this.store.headPosition(), async (events) => {
      for (const e of events) {
        if (e.type !== 'FloatingIpAssociated' && e.type !== 'FloatingIpDisassociated') continue;
        const { instanceId } = e.data as { instanceId: string };
        const { state } = await this.executor.load(instanceDecider, instanceStream(instanceId), { minVersion: 1 });
        if (state.status === 'present' && state.hostId && this.scope.drives(state.hostId)) this.trigger(state.hostId);
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.scheduled) clearTimeout(this.scheduled);
    this.timer = this.scheduled = null;
    this.unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe());
    await this.subscription?.stop();
    this.subscription = null;
    await this.running;
  }

  /**
   * A pass over every host and the storage now (or right after the pass in progress); with a
   * host, a pass over that host within EVENT_DEBOUNCE_MS, shared by every event meanwhile.
   */
  trigger(hostId?: string): void {
    if (this.stopped) return;
    if (hostId === undefined) this.pendingFull = true;
    else this.pendingHosts.add(hostId);
    if (this.running || this.scheduled) return; // taken up when the pass ends or the timer fires
    this.scheduled = setTimeout(() => this.runPending(), this.pendingFull ? 0 : EVENT_DEBOUNCE_MS);
    this.scheduled.unref();
  }

  private runPending(): void {
    this.scheduled = null;
    const full = this.pendingFull;
    const hostIds = new Set(this.pendingHosts);
    this.pendingFull = false;
    this.pendingHosts.clear();
    this.running = (full ? this.runOnce() : this.runHosts(hostIds))
      .catch((error: unknown) => this.log.errorWith('reconciliation pass failed', { error: String(error) }))
      .finally(() => {
        this.running = null;
        if (this.stopped || (!this.pendingFull && this.pendingHosts.size === 0)) return;
        this.scheduled = setTimeout(() => this.runPending(), this.pendingFull ? 0 : EVENT_DEBOUNCE_MS);
        this.scheduled.unref();
      });
  }

  async runOnce(): Promise<void> {
    await this.runHosts(null);
    if (!this.scope.storage) return;
    try {
      await this.reconcileStorage();
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      this.log.warnWith('block storage not reconciled', { error: error.message });
    }
  }

  /** Reconciles the given hosts (every host when null); an unreachable one is skipped until the next pass. */
  private async runHosts(hostIds: ReadonlySet<string> | null): Promise<void> {
    const hosts = (await this.compute.listHosts({ limit: 1000, cursor: null })).items;
    for (const host of hosts.filter((h) => (hostIds === null || hostIds.has(h.id)) && this.scope.drives(h.id))) {
      try {
        await this.reconcileHost(host);
      } catch (error) {
        if (!(error instanceof DriverError)) throw error;
        this.log.warnWith('host not reconciled', { host: host.name, error: error.message });
      }
    }
  }

  private async reconcileHost(host: HostView): Promise<void> {
    const ref = { hostId: host.id, driver: host.driver, uri: host.uri };
    const hv = this.drivers.hypervisor(ref);
    const sw = this.drivers.switch(ref);
    if (!this.watched.has(host.id)) {
      this.watched.add(host.id);
      this.unsubscribers.push(hv.onLifecycle(() => this.trigger(host.id)));
    }
    const domains = await hv.list();
    const known = await this.instances.listOnHost(host.id);
    const actual = new Map(domains.map((d) => [d.instanceId, d.powerState]));
    for (const instance of known) await this.reconcileInstance(host, instance, actual.get(instance.id));

    const knownIds = new Set(known.map((i) => i.id));
    // The read model lags a launch in progress: what it does not know yet is checked on the streams.
    const placedHere = await this.placedOn(
      host.id,
      domains.map((d) => d.instanceId).filter((id) => !knownIds.has(id)),
    );
    await this.reconcileOrphans(
      host,
      'domain',
      domains.map((d) => d.instanceId).filter((id) => !knownIds.has(id) && !placedHere.has(id)),
      async (id) => {
        await hv.destroy(id);
        await hv.undefine(id);
      },
    );
    const knownPorts = new Set(known.flatMap((i) => i.addresses.map((a) => a.portId)));
    const ports = await sw.listPorts();
    const unknownPorts = ports.filter((p) => !knownPorts.has(p.portId));
    const ownersHere = await this.placedOn(
      host.id,
      unknownPorts.flatMap((p) => (p.instanceId ? [p.instanceId] : [])),
    );
    await this.reconcileOrphans(
      host,
      'port',
      unknownPorts.filter((p) => !(p.instanceId && ownersHere.get(p.instanceId)?.has(p.portId))).map((p) => p.portId),
      (id) => sw.unplugPort(id),
    );
    // A deleted network's segment (its VLAN and gateway port) goes once no live network claims it.
    const segments = await sw.listSegments();
    const deadSegments: string[] = [];
    for (const segment of segments) {
      const live = (s: NetworkState) => s.status === 'active';
      if (!live(await this.confirmedOrFresh(networkDecider, networkStream(segment.networkId), live))) deadSegments.push(segment.networkId);
    }
    await this.reconcileOrphans(host, 'segment', deadSegments, (networkId) => sw.removeSegment(networkId));
    const atRest = new Set(known.filter((i) => i.taskState === null && (i.state === 'active' || i.state === 'stopped')).map((i) => i.id));
    await this.ports.repairHost(host, sw, atRest, ports, ctx(host.id));
  }

  private async reconcileInstance(host: HostView, instance: InstanceView, observed: PowerState | undefined): Promise<void> {
    if (instance.taskState !== null || (instance.state !== 'active' && instance.state !== 'stopped')) return; // work in progress is the worker's
    const stream = instanceStream(instance.id);
    const now = this.executor.now();
    try {
      if (observed === undefined) {
        await this.executor.execute(
          instanceDecider,
          stream,
          { type: 'RecordLost', reason: `The domain is missing on host ${host.name}`, now },
          ctx(host.id),
          NO_WAIT,
        );
        return;
      }
      if (observed === instance.powerState) return; // as the books say (a lagging read model only defers this to the next pass)
      const drift = await this.executor.execute(instanceDecider, stream, { type: 'RecordPowerState', observed, now }, ctx(host.id), NO_WAIT);
      if (drift.events.length === 0) return;
      if (instance.state === 'active') {
        // Running in our books, not on the host: accept it (Nova's default) or bring it back.
        const command =
          this.settings.powerDriftPolicy === 'restore' ? ({ type: 'Reboot', rebootType: 'hard', now } as const) : ({ type: 'Stop', now } as const);
        await this.executor.execute(instanceDecider, stream, command, ctx(host.id), NO_WAIT);
      } else {
        // Stopped in our books but running on the host: stop the guest.
        await this.drivers.hypervisor({ hostId: host.id, driver: host.driver, uri: host.uri }).shutdown(instance.id, 30_000);
      }
    } catch (error) {
      if (error instanceof DomainError) return; // a user action got there first; the next pass looks again
      throw error;
    }
  }

  /**
   * Of these instances, those whose stream places them on the host and not deleted, with the ports
   * they own. Cached states will do: one behind another process can only spare an orphan until a
   * later pass.
   */
  private async placedOn(hostId: string, instanceIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const placed = new Map<string, Set<string>>();
    for (const id of new Set(instanceIds)) {
      const state = await this.confirmedOrFresh(
        instanceDecider,
        instanceStream(id),
        (s) => s.status === 'present' && s.vmState !== 'deleted' && s.hostId === hostId,
      );
      if (state.status === 'present' && state.vmState !== 'deleted' && state.hostId === hostId)
        placed.set(id, new Set(state.request.networks.map((_, i) => portIdFor(id, i))));
    }
    return placed;
  }

  /**
   * A stream's state, cached when it already shows what `accounts` looks for, read afresh
   * otherwise: a cached state behind another process's appends must not make something an orphan.
   */
  private async confirmedOrFresh<S, E extends DomainEvent>(
    decider: Pick<Decider<S, never, E>, 'initialState' | 'evolve'>,
    stream: string,
    accounts: (state: S) => boolean,
  ): Promise<S> {
    const cached = await this.executor.load(decider, stream, { cached: true });
    return accounts(cached.state) ? cached.state : (await this.executor.load(decider, stream)).state;
  }

  /** Volumes the block storage holds that no live volume stream accounts for (read from the streams: never behind the log). */
  private async reconcileStorage(): Promise<void> {
    const storage = this.drivers.storage();
    const unknown: string[] = [];
    for (const v of await storage.list()) {
      const live = (s: VolumeState) => s.status !== 'absent' && s.status !== 'deleted';
      if (!live(await this.confirmedOrFresh(volumeDecider, volumeStream(v.volumeId), live))) unknown.push(v.volumeId);
    }
    await this.reconcileOrphans(STORAGE, 'volume', unknown, (id) => storage.deleteVolume(id));
    // A snapshot is on its volume's stream from before it is taken until after it is deleted.
    const unknownSnapshots: string[] = [];
    for (const snap of await storage.listSnapshots()) {
      const known = (s: VolumeState) => s.status !== 'absent' && s.snapshots[snap.snapshotId] !== undefined;
      if (!known(await this.confirmedOrFresh(volumeDecider, volumeStream(snap.volumeId), known))) unknownSnapshots.push(snap.snapshotId);
    }
    await this.reconcileOrphans(STORAGE, 'snapshot', unknownSnapshots, (id) => storage.deleteSnapshot(id));
  }

  private async reconcileOrphans(
    host: Pick<HostView, 'id' | 'name'>,
    kind: OrphanKind,
    present: string[],
    remove: (id: string) => Promise<void>,
  ): Promise<void> {
    const stream = orphansStream(host.id);
    const now = this.executor.now();
    for (const id of present) await this.executor.execute(orphanDecider, stream, { type: 'RecordSeen', hostId: host.id, kind, id, now }, ctx(host.id), NO_WAIT);
    // Cached: only reconcilers write this stream, and one behind another process's retries its appends.
    const { state } = await this.executor.load(orphanDecider, stream, { cached: true });
    const here = new Set(present);
    for (const orphan of Object.values(state.orphans).filter((o) => o.kind === kind && !here.has(o.id))) {
      await this.executor.execute(orphanDecider, stream, { type: 'RecordGone', kind, id: orphan.id, now }, ctx(host.id), NO_WAIT);
    }
    for (const orphan of orphansDue(state, now, this.settings.orphanGraceMs).filter((o) => o.kind === kind && here.has(o.id))) {
      this.log.warnWith('removing an orphan', { host: host.name, kind, id: orphan.id, since: orphan.since });
      await remove(orphan.id);
      await this.executor.execute(orphanDecider, stream, { type: 'RecordRemoved', kind, id: orphan.id, now }, ctx(host.id), NO_WAIT);
    }
  }
}
