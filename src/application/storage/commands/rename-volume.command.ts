import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { conflict, notFound } from '../../../domain/shared/domain-error';
import { volumeDecider, volumeStream } from '../../../domain/storage/volume/volume.decider';
import { QuotaLedger, assertCanWrite, assertInScope } from '../../identity/public';
import { extendReservation } from '../volume-reservations';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { VOLUME_READ_MODEL, VolumeReadModel, VolumeView } from '../ports/volume-read-model.port';

const NOT_FOUND = { code: 'VolumeNotFound', message: 'Volume not found' };

/** Renames a volume, or changes its description (recorded at once, nothing for the worker to do); answers the volume as it now is. */
export class RenameVolume {
  constructor(
    readonly volumeId: string,
    /** Null: the name stays. */
    readonly name: string | null,
    readonly principal: Principal,
    readonly requestId: string | null,
    readonly description?: string,
  ) {}
}

/** Grows an available volume (the extra GiB reserved on the volumeGiB quota); the volume worker grows it on the block storage. */
export class ExtendVolume {
  constructor(
    readonly volumeId: string,
    readonly sizeGiB: number,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(RenameVolume)
export class RenameVolumeHandler implements ICommandHandler<RenameVolume, VolumeView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
  ) {}

  async execute({ volumeId, name, description, principal, requestId }: RenameVolume): Promise<VolumeView> {
    assertCanWrite(principal);
    const { state } = await this.executor.load(volumeDecider, volumeStream(volumeId));
    if (state.status === 'absent' || state.status === 'deleted') throw notFound(NOT_FOUND.code, NOT_FOUND.message);
    assertInScope(principal, state.projectId, NOT_FOUND);
    await this.executor.execute(
      volumeDecider,
      volumeStream(volumeId),
      { type: 'Rename', name: name ?? state.name, ...(description !== undefined ? { description } : {}), now: this.executor.now() },
      { ...contextOf(principal, requestId), projectId: state.projectId },
    );
    return (await this.volumes.getVolume(volumeId)) as VolumeView;
  }
}

@CommandHandler(ExtendVolume)
export class ExtendVolumeHandler implements ICommandHandler<ExtendVolume, VolumeView> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly quota: QuotaLedger,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
  ) {}

  async execute({ volumeId, sizeGiB, principal, requestId }: ExtendVolume): Promise<VolumeView> {
    assertCanWrite(principal);
    const { state } = await this.executor.load(volumeDecider, volumeStream(volumeId));
    if (state.status === 'absent' || state.status === 'deleted') throw notFound(NOT_FOUND.code, NOT_FOUND.message);
    assertInScope(principal, state.projectId, NOT_FOUND);
    if (state.bootFor) throw conflict('RootVolume', `${volumeId} is the root disk of ${state.bootFor}; extend data volumes`);
    const ctx = { ...contextOf(principal, requestId), projectId: state.projectId };
    const reservation = extendReservation(volumeId, sizeGiB);
    // The decider checks the size and state first (a refusal takes no quota), then the quota is reserved, then the request recorded.
    volumeDecider.decide({ type: 'RequestExtend', sizeGiB, now: this.executor.now() }, state);
    await this.quota.reserve(state.projectId, reservation, { volumeGiB: sizeGiB - state.sizeGiB }, ctx, { waitForReadModels: false });
    try {
      await this.executor.execute(volumeDecider, volumeStream(volumeId), { type: 'RequestExtend', sizeGiB, now: this.executor.now() }, ctx);
    } catch (error) {
      await this.quota.release(state.projectId, reservation, ctx).catch(() => undefined);
      throw error;
    }
    return (await this.volumes.getVolume(volumeId)) as VolumeView;
  }
}
