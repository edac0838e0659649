import { Inject, Injectable } from '@nestjs/common';
import { VolumeCommand, VolumeState, volumeDecider, volumeStream } from '../../domain/storage/volume/volume.decider';
import { InstanceDirectory, activeImage } from '../compute/public';
import { extendReservation } from './volume-reservations';
import { QuotaLedger } from '../identity/public';
import { EVENT_STORE, EventStore, Subscription } from '../ports/event-store.port';
import { AppLogger, LOGGER } from '../ports/logger.port';
import { METRICS, Metrics } from '../ports/metrics.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../ports/read-model-progress.port';
import { CommandContext } from '../shared/command-context';
import { CommandExecutor } from '../shared/command-executor';
import { isFinal, isUnreachable } from '../shared/driver-error';
import { WORK_OWNERSHIP, WorkOwnership } from '../ports/work-ownership.port';
import { followLog } from '../shared/work/follow-log';
import { Failure, ReconcileLoop } from '../shared/work/reconcile-loop';
import { ReconcileResult } from '../shared/work/reconcile-result';
import { runSteps } from '../shared/work/run-steps';
import { TriggerVersions } from '../shared/work/trigger-versions';
import { WORK_SETTINGS, WorkSettings } from '../shared/work/work.settings';
import { BLOCK_STORAGE, BlockStorageDriver } from './ports/block-storage-driver.port';
import { VOLUME_READ_MODEL, VolumeReadModel } from './ports/volume-read-model.port';
import { STORAGE_SETTINGS, StorageSettings } from './storage.settings';

type Present = Exclude<VolumeState, { status: 'absent' }>;

const TRIGGERS = new Set([
  'VolumeRequested',
  'VolumeAttachRequested',
  'VolumeDetachRequested',
  'VolumeExtendRequested',
  'VolumeDeleteRequested',
  'VolumeSnapshotRequested',
  'VolumeSnapshotDeleteRequested',
]);
const NO_WAIT = { waitForReadModels: false };

/** The one snapshot with work asked for, if any (snapshots go first: a volume is not deleted while it has any). */
const pendingSnapshot = (v: Present) => Object.entries(v.snapshots).find(([, status]) => status === 'creating' || status === 'deleting');

/**
 * Carries out what data volumes were asked to do (create, attach, detach, delete, take or delete a
 * snapshot) against the block storage, level-triggered from each volume's stream on a
 * ReconcileLoop, and resumes after a crash (creating from an image or a snapshot, extending too). Root volumes belong to the provisioning worker. A
 * driver error that retrying cannot mend ends the request at once; others are retried, and given
 * up on after the work settings' bound: creating and snapshotting fail, attaching fails, detaching
 * stays attached, deleting ends in error (the quota kept until it is deleted, as in Cinder).
 */
@Injectable()
export class VolumeWorker {
  private readonly loop: ReconcileLoop;
  private subscription: Subscription | null = null;
  private unwatch: () => void = () => undefined;
  private readonly triggers = new TriggerVersions();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly quota: QuotaLedger,
    private readonly instances: InstanceDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
    @Inject(BLOCK_STORAGE) private readonly storage: BlockStorageDriver,
    @Inject(WORK_OWNERSHIP) private readonly ownership: WorkOwnership,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(METRICS) metrics: Metrics,
    @Inject(WORK_SETTINGS) work: WorkSettings,
    @Inject(STORAGE_SETTINGS) settings: StorageSettings,
  ) {
    this.loop = new ReconcileLoop(
      {
        name: 'volumes',
        concurrency: settings.volumeConcurrency,
        settings: work,
        metrics,
        log,
        isWaiting: isUnreachable,
        owns: (id) => ownership.owns(id),
        giveUp: (id, f) => this.giveUp(id, f),
      },
      (id) => this.reconcile(id),
    );
  }

  async start(): Promise<void> {
    ({ subscription: this.subscription, unwatch: this.unwatch } = await followLog(
      this.store,
      this.progress,
      this.loop,
      {
        triggers: TRIGGERS,
        keyOf: (event) => this.triggers.note((event.data as { volumeId: string }).volumeId, event.version),
        unfinished: () => this.volumes.listUnfinished(),
      },
      this.ownership,
      (error) => this.log.errorWith('volumes: could not pick up the work of shards taken over', { error: String(error) }),
    ));
  }

  async stop(): Promise<void> {
    this.unwatch();
    await this.subscription?.stop();
    await this.loop.stop(5_000);
  }

  private reconcile(volumeId: string): Promise<ReconcileResult> {
    const triggeredAt = this.triggers.take(volumeId);
    return runSteps(
      async (first) => {
        // As the provisioning worker: cached when it has the event that kicked us, and between our own steps.
        const { state } = await this.executor.load(volumeDecider, volumeStream(volumeId), first ? { minVersion: triggeredAt } : { cached: true });
        if (state.status === 'absent' || state.bootFor) return false;
        return this.step(state);
      },
      () => this.loop.forget(volumeId),
    );
  }

  private ctx(v: Present): CommandContext {
    return { principal: 'system:volumes', projectId: v.projectId, requestId: null, correlationId: v.volumeId, causationId: null };
  }

  private record(v: Present, command: VolumeCommand) {
    return this.executor.execute(volumeDecider, volumeStream(v.volumeId), command, this.ctx(v), NO_WAIT);
  }

  /** Performs the volume's next step; false when nothing is left to do. */
  private async step(v: Present): Promise<boolean> {
    const now = this.executor.now();
    const snapshot = pendingSnapshot(v);
    if (snapshot) {
      const [snapshotId, status] = snapshot;
      if (status === 'deleting') {
        await this.storage.deleteSnapshot(snapshotId);
        await this.record(v, { type: 'RecordSnapshotDeleted', snapshotId, now });
      } else {
        const failed = await this.attempt(() => this.storage.snapshot(v.volumeId, snapshotId));
        await this.record(
          v,
          failed === null ? { type: 'RecordSnapshotCreated', snapshotId, now } : { type: 'RecordSnapshotFailed', snapshotId, reason: failed, now },
        );
      }
      return true;
    }
    switch (v.status) {
      case 'creating': {
        const image = v.sourceImageId ? await activeImage(this.executor, v.sourceImageId) : null;
        if (v.sourceImageId && !image) {
          await this.record(v, { type: 'RecordCreationFailed', reason: `image ${v.sourceImageId} no longer exists`, now });
          return true;
        }
        const failed = await this.attempt(() =>
          this.storage.createVolume({ volumeId: v.volumeId, sizeGiB: v.sizeGiB, sourceImage: image?.source ?? null, sourceSnapshotId: v.sourceSnapshotId }),
        );
        await this.record(v, failed === null ? { type: 'RecordCreated', now } : { type: 'RecordCreationFailed', reason: failed, now });
        return true;
      }
      case 'attaching': {
        const instance = v.instanceId ? await this.instances.getInstance(v.instanceId) : null;
        if (!InstanceDirectory.isAtRest(instance)) {
          await this.record(v, { type: 'RecordAttachFailed', reason: 'the instance is not available', now });
          return true;
        }
        let device = '';
        const failed = await this.attempt(async () => void (device = await this.storage.attach(v.volumeId, instance.id)));
        await this.record(v, failed === null ? { type: 'RecordAttached', device, now } : { type: 'RecordAttachFailed', reason: failed, now });
        return true;
      }
      case 'detaching':
        await this.storage.detach(v.volumeId, v.instanceId as string);
        await this.record(v, { type: 'RecordDetached', now });
        return true;
      case 'extending': {
        const to = v.extendingTo as number;
        const failed = await this.attempt(() => this.storage.extendVolume(v.volumeId, to));
        if (failed !== null) await this.quota.release(v.projectId, extendReservation(v.volumeId, to), this.ctx(v), NO_WAIT);
        await this.record(v, failed === null ? { type: 'RecordExtended', now } : { type: 'RecordExtendFailed', reason: failed, now });
        return true;
      }
      case 'deleting':
        // Quota before the record: a crash in between leaves a volume still deleting, which resumes.
        await this.storage.deleteVolume(v.volumeId);
        await this.quota.release(v.projectId, v.volumeId, this.ctx(v), NO_WAIT);
        for (const size of v.grownTo) await this.quota.release(v.projectId, extendReservation(v.volumeId, size), this.ctx(v), NO_WAIT);
        await this.record(v, { type: 'RecordDeleted', now });
        return true;
      default:
        return false;
    }
  }

  /** Runs a driver call; the reason if it failed in a way retrying cannot mend (other failures are thrown, to be retried). */
  private async attempt(call: () => Promise<void>): Promise<string | null> {
    try {
      await call();
      return null;
    } catch (error) {
      if (isFinal(error)) return error.message;
      throw error;
    }
  }

  /** The terminal state of a volume whose step kept failing. */
  private async giveUp(volumeId: string, failure: Failure): Promise<void> {
    const { state: v } = await this.executor.load(volumeDecider, volumeStream(volumeId));
    if (v.status === 'absent') return;
    const reason = `gave up after ${failure.failures} failed attempts: ${failure.lastError}`;
    const now = this.executor.now();
    const snapshot = pendingSnapshot(v);
    if (snapshot) {
      const [snapshotId, status] = snapshot;
      return void (await this.record(
        v,
        status === 'creating' ? { type: 'RecordSnapshotFailed', snapshotId, reason, now } : { type: 'RecordSnapshotDeleteFailed', snapshotId, reason, now },
      ));
    }
    const terminal: Partial<Record<Present['status'], VolumeCommand>> = {
      creating: { type: 'RecordCreationFailed', reason, now },
      attaching: { type: 'RecordAttachFailed', reason, now },
      detaching: { type: 'RecordDetachFailed', reason, now },
      extending: { type: 'RecordExtendFailed', reason, now },
      deleting: { type: 'RecordDeleteFailed', reason, now },
    };
    const command = terminal[v.status];
    if (v.status === 'extending' && v.extendingTo !== null)
      await this.quota.release(v.projectId, extendReservation(v.volumeId, v.extendingTo), this.ctx(v), NO_WAIT);
    if (command) await this.record(v, command);
  }
}
