import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { notFound } from '../../../domain/shared/domain-error';
import { volumeDecider, volumeStream } from '../../../domain/storage/volume/volume.decider';
import { assertCanWrite, assertInScope } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { VOLUME_READ_MODEL, VolumeReadModel, VolumeView } from '../ports/volume-read-model.port';

const NOT_FOUND = { code: 'VolumeNotFound', message: 'Volume not found' };

/** Renames a volume (recorded at once, nothing for the worker to do); answers the volume as it now is. */
export class RenameVolume {
  constructor(
    readonly volumeId: string,
    readonly name: string,
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

  async execute({ volumeId, name, principal, requestId }: RenameVolume): Promise<VolumeView> {
    assertCanWrite(principal);
    const { state } = await this.executor.load(volumeDecider, volumeStream(volumeId));
    if (state.status === 'absent' || state.status === 'deleted') throw notFound(NOT_FOUND.code, NOT_FOUND.message);
    assertInScope(principal, state.projectId, NOT_FOUND);
    await this.executor.execute(
      volumeDecider,
      volumeStream(volumeId),
      { type: 'Rename', name, now: this.executor.now() },
      { ...contextOf(principal, requestId), projectId: state.projectId },
    );
    return (await this.volumes.getVolume(volumeId)) as VolumeView;
  }
}
