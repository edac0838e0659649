import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { VolumeCommand, volumeDecider, volumeStream } from '../../../domain/storage/volume/volume.decider';
import { conflict, notFound } from '../../../domain/shared/domain-error';
import { InstanceDirectory, Operations } from '../../compute/public';
import { assertCanWrite, assertInScope } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { VOLUME_READ_MODEL, VolumeReadModel } from '../ports/volume-read-model.port';
import { VolumeAccepted } from '../volume-accepted';

const NOT_FOUND = { code: 'VolumeNotFound', message: 'Volume not found' };

export type VolumeChange = { action: 'attach'; instanceId: string } | { action: 'detach' } | { action: 'delete' };

export class ChangeVolume {
  constructor(
    readonly volumeId: string,
    readonly change: VolumeChange,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** Attach, detach or delete: recorded at once (409 if the volume's state does not allow it), carried out by the volume worker. */
@CommandHandler(ChangeVolume)
export class ChangeVolumeHandler implements ICommandHandler<ChangeVolume, VolumeAccepted> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
    private readonly instances: InstanceDirectory,
    private readonly operations: Operations,
  ) {}

  async execute({ volumeId, change, principal, requestId }: ChangeVolume): Promise<VolumeAccepted> {
    assertCanWrite(principal);
    const volume = await this.volumes.getVolume(volumeId);
    if (!volume || volume.status === 'deleted') throw notFound(NOT_FOUND.code, NOT_FOUND.message);
    assertInScope(principal, volume.projectId, NOT_FOUND);
    if (volume.bootFor) throw conflict('RootVolume', `${volumeId} is the root disk of ${volume.bootFor}; it goes with its instance`);
    const now = this.executor.now();
    let command: VolumeCommand;
    if (change.action === 'attach') {
      const instance = await this.instances.getInstance(change.instanceId);
      if (!instance || instance.projectId !== volume.projectId || instance.state === 'deleted') throw notFound('InstanceNotFound', 'Instance not found');
      if (instance.state !== 'active' && instance.state !== 'stopped')
        throw conflict('InstanceStateConflict', `Cannot attach to an instance that is ${instance.state}`);
      command = { type: 'RequestAttach', instanceId: change.instanceId, now };
    } else {
      command = change.action === 'detach' ? { type: 'RequestDetach', now } : { type: 'RequestDelete', now };
    }
    const operationId = this.ids.next('op');
    const ctx = { ...contextOf(principal, requestId), projectId: volume.projectId, correlationId: operationId };
    await this.executor.execute(volumeDecider, volumeStream(volumeId), command, ctx, { waitForReadModels: false });
    await this.operations.start({ operationId, projectId: volume.projectId, kind: `volume-${change.action}`, instanceIds: [], volumeIds: [volumeId] }, ctx, {
      waitForReadModels: true,
    });
    return { operation: { id: operationId, status: 'running', kind: `volume-${change.action}` }, volume: { id: volumeId, status: volume.status } };
  }
}
