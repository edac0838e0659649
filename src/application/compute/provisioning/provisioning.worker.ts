import { Inject, Injectable } from '@nestjs/common';
import { workOf } from '../../../domain/compute/instance/instance-lifecycle';
import { instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { InstanceCommand } from '../../../domain/compute/instance/instance.events';
import { EVENT_STORE, EventStore, Subscription } from '../../ports/event-store.port';
import { AppLogger, LOGGER } from '../../ports/logger.port';
import { METRICS, Metrics } from '../../ports/metrics.port';
import { TRACING, Tracing } from '../../ports/tracing.port';
import { WORK_OWNERSHIP, WorkOwnership } from '../../ports/work-ownership.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../../ports/read-model-progress.port';
import { CommandExecutor } from '../../shared/command-executor';
import { isUnreachable } from '../../shared/driver-error';
import { followLog } from '../../shared/work/follow-log';
import { Failure, ReconcileLoop } from '../../shared/work/reconcile-loop';
import { ReconcileResult } from '../../shared/work/reconcile-result';
import { runSteps } from '../../shared/work/run-steps';
import { TriggerVersions } from '../../shared/work/trigger-versions';
import { WORK_SETTINGS, WorkSettings } from '../../shared/work/work.settings';
import { HostDirectory } from '../host-directory';
import { INSTANCE_READ_MODEL, InstanceReadModel } from '../ports/instance-read-model.port';
import { HOST_SCOPE, HostScope } from '../ports/host-scope.port';
import { InstanceRecords, Present } from './instance-records';
import { PROVISIONING_SETTINGS, ProvisioningSettings } from './provisioning.settings';
import { ProvisioningSteps, WORK_LABELS } from './provisioning-steps';

/** Traces remembered for instances whose work has not run yet (most recent kept). */
const MAX_TRACED_INSTANCES = 10_000;

/** Events after which an instance has work to do. */
const TRIGGERS = new Set([
  'InstanceRequested',
  // For a standalone agent: an instance placed on its host is its own from here.
  'InstanceScheduled',
  'InstanceSpawnFailed',
  'InstanceFailed',
  'InstanceStopRequested',
  'InstanceStartRequested',
  'InstanceRebootRequested',
  'InstanceDeleteRequested',
]);

/**
 * The provisioning saga, level-triggered on a ReconcileLoop keyed by instance. An instance's own
 * stream is the saga's log: its vm/task state picks the next step (see ProvisioningSteps), every
 * step is idempotent and ends by recording its transition, and after a crash start() finds every
 * instance with work left and drives it on from where its stream says it is. A step that fails is
 * retried with backoff and shown on the instance as retrying (InstanceStepRetrying); one whose
 * host cannot be reached waits, retried at the capped interval; one that keeps failing is given up
 * on: a build fails (then everything is given back), an action fails (the instance stays as it
 * was), giving back fails (error, to be deleted again).
 */
@Injectable()
export class ProvisioningWorker {
  private readonly loop: ReconcileLoop;
  private subscription: Subscription | null = null;
  private unwatch: () => void = () => undefined;
  private readonly triggers = new TriggerVersions();
  /** With tracing on: the trace each instance's work continues (that of the event that triggered it). */
  private readonly traces = new Map<string, string>();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly steps: ProvisioningSteps,
    private readonly records: InstanceRecords,
    private readonly hosts: HostDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
    @Inject(HOST_SCOPE) scope: HostScope,
    @Inject(WORK_OWNERSHIP) private readonly ownership: WorkOwnership,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(METRICS) metrics: Metrics,
    @Inject(WORK_SETTINGS) work: WorkSettings,
    @Inject(PROVISIONING_SETTINGS) settings: ProvisioningSettings,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {
    this.loop = new ReconcileLoop(
      {
        name: 'provisioning',
        concurrency: settings.concurrency,
        settings: work,
        metrics,
        log,
        isWaiting: isUnreachable,
        owns: (id) => ownership.owns(id),
        giveUp: (id, failure) => this.giveUp(id, failure),
        onFailure: (id, failure) => this.showRetrying(id, failure),
      },
      (id) => this.reconcile(id),
    );
    // A host whose agent let go: its instances' unfinished work is ours again.
    scope.onTakeOver(() => {
      this.instances
        .listUnfinished()
        .then((ids) => ids.forEach((id) => this.loop.kick(id)))
        .catch((error: unknown) => this.log.errorWith('could not pick up a host handed back', { error: String(error) }));
    });
  }

  async start(): Promise<void> {
    const { subscription, resumed, unwatch } = await followLog(
      this.store,
      this.progress,
      this.loop,
      {
        triggers: TRIGGERS,
        keyOf: (event) => {
          const instanceId = (event.data as { instanceId: string }).instanceId;
          if (event.metadata.traceparent) this.noteTrace(instanceId, event.metadata.traceparent);
          return this.triggers.note(instanceId, event.version);
        },
        unfinished: () => this.instances.listUnfinished(),
      },
      this.ownership,
      (error) => this.log.errorWith('provisioning: could not pick up the work of shards taken over', { error: String(error) }),
    );
    this.subscription = subscription;
    this.unwatch = unwatch;
    if (resumed > 0) this.log.info('provisioning: resuming unfinished instances', { count: resumed });
  }

  /** Stops taking work and waits a little for steps in flight; whatever is cut short resumes at the next start. */
  async stop(graceMs = 5_000): Promise<void> {
    this.unwatch();
    await this.subscription?.stop();
    await this.loop.stop(graceMs);
  }

  private reconcile(instanceId: string): Promise<ReconcileResult> {
    // Kicked by an event: the cached state will do if it has that event (this process appended it),
    // else read afresh. Between its own steps the cached state, which they updated, is exact.
    const triggeredAt = this.triggers.take(instanceId);
    return runSteps(
      async (first) => {
        const s = await this.load(instanceId, first ? { minVersion: triggeredAt } : { cached: true });
        const step = s && this.steps.for(s);
        if (!s || !step) {
          this.traces.delete(instanceId);
          return false;
        }
        const parent = this.traces.get(instanceId);
        // The step's commands and driver calls find its span by the instance's id.
        await this.tracing.span(`provisioning ${workOf(s) ?? 'step'}`, { parent, attributes: { instance: instanceId } }, (span) =>
          this.tracing.within(instanceId, span, () => step.run(s)),
        );
        return true;
      },
      () => this.loop.forget(instanceId),
    );
  }

  private noteTrace(instanceId: string, traceparent: string): void {
    this.traces.delete(instanceId);
    this.traces.set(instanceId, traceparent);
    if (this.traces.size > MAX_TRACED_INSTANCES) this.traces.delete(this.traces.keys().next().value as string);
  }

  /** The instance, if this process drives it (not one placed on a standalone agent's host). */
  private async load(instanceId: string, options: { minVersion?: number; cached?: boolean }): Promise<Present | null> {
    const { state } = await this.executor.load(instanceDecider, instanceStream(instanceId), options);
    return state.status === 'present' && this.hosts.drives(state.hostId) ? state : null;
  }

  /** Shows the failing step on the instance (and so on its operation): once when it starts failing, again when its error changes. */
  private async showRetrying(instanceId: string, failure: Failure): Promise<void> {
    const s = await this.load(instanceId, { cached: true });
    if (s) await this.records.record(s, { type: 'RecordRetrying', reason: failure.lastError, waiting: failure.waiting, now: this.records.now() });
  }

  /** The terminal state of an instance whose step kept failing. */
  private async giveUp(instanceId: string, failure: Failure): Promise<void> {
    const s = await this.load(instanceId, {});
    const work = s && workOf(s);
    if (!s || !work) return;
    const reason = `${WORK_LABELS[work]} failed ${failure.failures} times in a row; last error: ${failure.lastError}`;
    const now = this.records.now();
    const command: InstanceCommand =
      work === 'deleting' || work === 'releasing'
        ? { type: 'RecordCleanupFailed', reason: `${reason}. Delete the instance to try again.`, now }
        : ['powering_off', 'powering_on', 'rebooting', 'rebooting_hard'].includes(work)
          ? { type: 'RecordActionFailed', reason, now }
          : { type: 'RecordFailed', reason, now };
    await this.records.record(s, command);
  }
}
