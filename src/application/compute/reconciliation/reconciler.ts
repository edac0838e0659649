import { Inject, Injectable } from '@nestjs/common';
import { instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { PowerState } from '../../../domain/compute/instance/instance-states';
import { OrphanKind, orphanDecider, orphansDue, orphansStream } from '../../../domain/compute/reconciliation/orphans.decider';
import { DomainError } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../event-sourcing/command-executor';
import { AppLogger, LOGGER } from '../../ports/logger.port';
import { CommandContext } from '../../shared/command-context';
import { DriverError } from '../../shared/driver-error';
import { COMPUTE_READ_MODEL, ComputeReadModel, HostView } from '../compute-read-model.port';
import { INSTANCE_READ_MODEL, InstanceReadModel, InstanceView } from '../instance-read-model.port';
import { HOST_DRIVERS, HostDrivers } from '../ports/host-drivers.port';

export type PowerDriftPolicy = 'accept' | 'restore';
export type ReconcilerSettings = { intervalMs: number; orphanGraceMs: number; powerDriftPolicy: PowerDriftPolicy };
export const RECONCILER_SETTINGS = Symbol('ReconcilerSettings');

const NO_WAIT = { waitForReadModels: false };
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
 * OrphanRemoved). An unreachable host is skipped and retried on the next pass.
 */
@Injectable()
export class Reconciler {
  private timer: NodeJS.Timeout | null = null;
  private readonly watched = new Set<string>();
  private readonly unsubscribers: Array<() => void> = [];
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
    @Inject(HOST_DRIVERS) private readonly drivers: HostDrivers,
    @Inject(RECONCILER_SETTINGS) private readonly settings: ReconcilerSettings,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.trigger(), this.settings.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe());
    await this.running;
  }

  /** Runs a pass now, or right after the one in progress. */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce()
      .catch((error: unknown) => this.log.errorWith('reconciliation pass failed', { error: String(error) }))
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.trigger();
        }
      });
  }

  async runOnce(): Promise<void> {
    const hosts = (await this.compute.listHosts({ limit: 1000, cursor: null })).items;
    for (const host of hosts) {
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
      this.unsubscribers.push(hv.onLifecycle(() => this.trigger()));
    }
    const domains = await hv.list();
    const known = await this.instances.listOnHost(host.id);
    const actual = new Map(domains.map((d) => [d.instanceId, d.powerState]));
    for (const instance of known) await this.reconcileInstance(host, instance, actual.get(instance.id));

    const knownIds = new Set(known.map((i) => i.id));
    await this.reconcileOrphans(
      host,
      'domain',
      domains.map((d) => d.instanceId).filter((id) => !knownIds.has(id)),
      async (id) => {
        await hv.destroy(id);
        await hv.undefine(id);
      },
    );
    const knownPorts = new Set(known.flatMap((i) => i.addresses.map((a) => a.portId)));
    const ports = await sw.listPorts();
    await this.reconcileOrphans(
      host,
      'port',
      ports.map((p) => p.portId).filter((id) => !knownPorts.has(id)),
      (id) => sw.unplugPort(id),
    );
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

  private async reconcileOrphans(host: HostView, kind: OrphanKind, present: string[], remove: (id: string) => Promise<void>): Promise<void> {
    const stream = orphansStream(host.id);
    const now = this.executor.now();
    for (const id of present) await this.executor.execute(orphanDecider, stream, { type: 'RecordSeen', hostId: host.id, kind, id, now }, ctx(host.id), NO_WAIT);
    const { state } = await this.executor.load(orphanDecider, stream);
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
