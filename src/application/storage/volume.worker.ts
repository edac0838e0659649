import { Inject, Injectable } from '@nestjs/common';
import { projectDecider, projectStream } from '../../domain/identity/project/project.decider';
import { VolumeCommand, VolumeState, volumeDecider, volumeStream } from '../../domain/storage/volume/volume.decider';
import { INSTANCE_READ_MODEL, InstanceReadModel } from '../compute/ports/instance-read-model.port';
import { HOST_DRIVERS, HostDrivers } from '../compute/ports/host-drivers.port';
import { CommandExecutor } from '../shared/command-executor';
import { EVENT_STORE, EventStore, Subscription } from '../ports/event-store.port';
import { AppLogger, LOGGER } from '../ports/logger.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../ports/read-model-progress.port';
import { CommandContext } from '../shared/command-context';
import { DriverError } from '../shared/driver-error';
import { followWork } from '../shared/work/follow-log';
import { KeyedWorkQueue } from '../shared/keyed-work-queue';
import { TriggerVersions } from '../shared/work/trigger-versions';
import { VOLUME_READ_MODEL, VolumeReadModel } from './ports/volume-read-model.port';

type Present = Exclude<VolumeState, { status: 'absent' }>;

const TRIGGERS = new Set([
  'VolumeRequested',
  'VolumeAttachRequested',
  'VolumeDetachRequested',
  'VolumeDeleteRequested',
  'VolumeSnapshotRequested',
  'VolumeSnapshotDeleteRequested',
]);
const NO_WAIT = { waitForReadModels: false };

/**
 * Carries out what data volumes were asked to do (create, attach, detach, delete) against the
 * block storage driver, level-triggered from each volume's stream like the provisioning worker,
 * and resumes after a crash. Root volumes belong to the provisioning worker. A volume in error
 * keeps its quota until it is deleted (as in Cinder).
 */
@Injectable()
export class VolumeWorker {
  private readonly queue = new KeyedWorkQueue(16, (id) => this.drive(id));
  private subscription: Subscription | null = null;
  private readonly triggers = new TriggerVersions();

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
    @Inject(HOST_DRIVERS) private readonly drivers: HostDrivers,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  async start(): Promise<void> {
    ({ subscription: this.subscription } = await followWork(this.store, this.progress, this.queue, {
      triggers: TRIGGERS,
      keyOf: (event) => this.triggers.note((event.data as { volumeId: string }).volumeId, event.version),
      unfinished: () => this.volumes.listUnfinished(),
    }));
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    await this.queue.stop(5_000);
  }

  private async drive(volumeId: string): Promise<void> {
    const triggeredAt = this.triggers.take(volumeId);
    for (let steps = 0; steps < 20; steps++) {
      // As the provisioning worker: cached when it has the event that kicked us, and between our own steps.
      const { state } = await this.executor.load(volumeDecider, volumeStream(volumeId), steps > 0 ? { cached: true } : { minVersion: triggeredAt });
      if (state.status === 'absent' || state.bootFor) return;
      try {
        if (!(await this.step(state))) return;
      } catch (error) {
        this.log.errorWith('volume step failed; will retry', { volumeId, status: state.status, error: String(error) });
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** steps, 5_000)));
      }
    }
  }

  private ctx(v: Present): CommandContext {
    return { principal: 'system:volumes', projectId: v.projectId, requestId: null, correlationId: v.volumeId, causationId: null };
  }

  private record(v: Present, command: VolumeCommand) {
    return this.executor.execute(volumeDecider, volumeStream(v.volumeId), command, this.ctx(v), NO_WAIT);
  }

  private async step(v: Present): Promise<boolean> {
    const storage = this.drivers.storage();
    const now = this.executor.now();
    if (await this.snapshotStep(v)) return true;
    switch (v.status) {
      case 'creating':
        try {
          await storage.createVolume({ volumeId: v.volumeId, sizeGiB: v.sizeGiB, sourceImage: null, sourceSnapshotId: v.sourceSnapshotId });
          await this.record(v, { type: 'RecordCreated', now });
        } catch (error) {
          if (!(error instanceof DriverError)) throw error;
          await this.record(v, { type: 'RecordCreationFailed', reason: error.message, now });
        }
        return true;
      case 'attaching': {
        const instance = v.instanceId ? await this.instances.getInstance(v.instanceId) : null;
        if (!instance || (instance.state !== 'active' && instance.state !== 'stopped')) {
          await this.record(v, { type: 'RecordAttachFailed', reason: 'the instance is not available', now });
          return true;
        }
        try {
          const device = await storage.attach(v.volumeId, instance.id);
          await this.record(v, { type: 'RecordAttached', device, now });
        } catch (error) {
          if (!(error instanceof DriverError)) throw error;
          await this.record(v, { type: 'RecordAttachFailed', reason: error.message, now });
        }
        return true;
      }
      case 'detaching':
        await storage.detach(v.volumeId, v.instanceId as string);
        await this.record(v, { type: 'RecordDetached', now });
        return true;
      case 'deleting':
        // Quota before the record: a crash in between leaves a volume still deleting, which resumes.
        await storage.deleteVolume(v.volumeId);
        await this.executor.execute(projectDecider, projectStream(v.projectId), { type: 'ReleaseQuota', reservationId: v.volumeId, now }, this.ctx(v), NO_WAIT);
        await this.record(v, { type: 'RecordDeleted', now });
        return true;
      default:
        return false;
    }
  }

  /** Takes or deletes one snapshot that is asked for; false when none is. */
  private async snapshotStep(v: Present): Promise<boolean> {
    const pending = Object.entries(v.snapshots).find(([, status]) => status === 'creating' || status === 'deleting');
    if (!pending) return false;
    const [snapshotId, status] = pending;
    const storage = this.drivers.storage();
    const now = this.executor.now();
    if (status === 'deleting') {
      await storage.deleteSnapshot(snapshotId); // a driver error retries (drive's backoff), as a volume delete
      await this.record(v, { type: 'RecordSnapshotDeleted', snapshotId, now });
      return true;
    }
    try {
      await storage.snapshot(v.volumeId, snapshotId);
      await this.record(v, { type: 'RecordSnapshotCreated', snapshotId, now });
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      await this.record(v, { type: 'RecordSnapshotFailed', snapshotId, reason: error.message, now });
    }
    return true;
  }
}
