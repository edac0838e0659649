import { Inject, Injectable } from '@nestjs/common';
import { instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { EVENT_STORE, EventStore, Subscription } from '../../ports/event-store.port';
import { AppLogger, LOGGER } from '../../ports/logger.port';
import { METRICS, Metrics } from '../../ports/metrics.port';
import { WORK_OWNERSHIP, WorkOwnership } from '../../ports/work-ownership.port';
import { CommandExecutor } from '../../shared/command-executor';
import { isUnreachable } from '../../shared/driver-error';
import { RELEASE_GRACE_MS } from '../../shared/work/follow-log';
import { ReconcileLoop } from '../../shared/work/reconcile-loop';
import { ReconcileResult, done, requeueAfter } from '../../shared/work/reconcile-result';
import { WORK_SETTINGS, WorkSettings } from '../../shared/work/work.settings';
import { HostDirectory } from '../host-directory';
import { HostView } from '../ports/compute-read-model.port';
import { HOST_SCOPE, HostScope } from '../ports/host-scope.port';
import { HYPERVISORS, HypervisorDrivers, hostRef } from '../ports/hypervisor-drivers.port';
import { HostPass } from './host-pass';
import { BLOCK_STORAGE_KEY, EVENT_DEBOUNCE_MS, NOT_YET_VISIBLE_RETRY_MS, RECONCILER_SETTINGS, ReconcilerSettings } from './reconciler.settings';

/** Events after which a host is reconciled at once rather than at its next interval. */
const HOST_EVENTS = new Set(['HostRegistered', 'FloatingIpAssociated', 'FloatingIpDisassociated']);

/**
 * Level-triggered, like a Kubernetes controller, on a ReconcileLoop keyed by host (and one key
 * for the block storage): each key is reconciled every interval, at once when a hypervisor
 * reports a lifecycle event there (debounced), when a host is registered or handed back by its
 * agent, and when a floating IP of an instance there changes. Nothing is corrected without an
 * event (see HostPass). A host that cannot be reached is waited for, retried at the capped
 * interval; a pass that fails otherwise is retried with backoff. A host is never given up on: its
 * next pass is always due, and the loop's gauges show it failing or waiting meanwhile.
 */
@Injectable()
export class HostReconciler {
  private readonly loop: ReconcileLoop;
  private readonly watched = new Set<string>();
  private readonly unsubscribers: Array<() => void> = [];
  private subscription: Subscription | null = null;
  private unwatch: () => void = () => undefined;

  constructor(
    private readonly executor: CommandExecutor,
    private readonly pass: HostPass,
    private readonly hosts: HostDirectory,
    @Inject(HYPERVISORS) private readonly hypervisors: HypervisorDrivers,
    @Inject(HOST_SCOPE) private readonly scope: HostScope,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RECONCILER_SETTINGS) private readonly settings: ReconcilerSettings,
    @Inject(WORK_OWNERSHIP) private readonly ownership: WorkOwnership,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(METRICS) metrics: Metrics,
    @Inject(WORK_SETTINGS) work: WorkSettings,
  ) {
    this.loop = new ReconcileLoop(
      { name: 'reconciler', concurrency: settings.concurrency, settings: work, metrics, log, isWaiting: isUnreachable, owns: (key) => ownership.owns(key) },
      (key) => this.reconcile(key),
    );
    scope.onTakeOver((hostId) => this.loop.kick(hostId));
  }

  async start(): Promise<void> {
    this.loop.start();
    const head = await this.store.headPosition();
    this.subscription = this.store.subscribe(head, async (events) => {
      for (const e of events) if (HOST_EVENTS.has(e.type)) await this.kickFor(e.type, e.data as { hostId?: string; instanceId?: string });
    });
    await this.kickAll();
    let started = false;
    this.unwatch = this.ownership.watch({
      gained: () => {
        if (started) this.kickAll().catch((error: unknown) => this.log.errorWith('reconciler: could not take up hosts', { error: String(error) }));
      },
      releasing: (leaves) => this.loop.release(leaves, RELEASE_GRACE_MS),
    });
    started = true;
  }

  /** Every host (and the block storage) this process drives is due now; the loop keeps those whose shards it owns. */
  private async kickAll(): Promise<void> {
    for (const host of await this.hosts.all()) this.loop.kick(host.id);
    if (this.scope.storage) this.loop.kick(BLOCK_STORAGE_KEY.id);
  }

  async stop(): Promise<void> {
    this.unwatch();
    this.unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe());
    await this.subscription?.stop();
    this.subscription = null;
    await this.loop.stop(10_000);
  }

  private async kickFor(type: string, data: { hostId?: string; instanceId?: string }): Promise<void> {
    if (type === 'HostRegistered' && data.hostId) return this.loop.kick(data.hostId);
    // A floating IP's mapping changes on its instance's host: a host this process drives but did not
    // map inline (a standalone agent's) is reconciled at once rather than at the next interval.
    if (!data.instanceId) return;
    const { state } = await this.executor.load(instanceDecider, instanceStream(data.instanceId), { minVersion: 1 });
    if (state.status === 'present' && state.hostId && this.scope.drives(state.hostId)) this.loop.kickWithin(state.hostId, EVENT_DEBOUNCE_MS);
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    if (key === BLOCK_STORAGE_KEY.id) {
      await this.pass.blockStorage();
      return requeueAfter(this.settings.intervalMs);
    }
    const host = await this.hosts.hostOf(key);
    if (!host) return requeueAfter(Math.min(NOT_YET_VISIBLE_RETRY_MS, this.settings.intervalMs)); // registered a moment ago: the read model will show it
    if (!this.scope.drives(host.id)) return done; // its agent's (kicked again when the agent hands it back)
    this.watch(host);
    await this.pass.host(host);
    return requeueAfter(this.settings.intervalMs);
  }

  /** A lifecycle event on the host (a guest stopped or crashed) brings its next pass forward. */
  private watch(host: HostView): void {
    if (this.watched.has(host.id)) return;
    this.watched.add(host.id);
    this.unsubscribers.push(this.hypervisors.hypervisor(hostRef(host)).onLifecycle(() => this.loop.kickWithin(host.id, EVENT_DEBOUNCE_MS)));
  }
}
