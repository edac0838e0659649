import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { imageDecider, imageStream } from '../../../domain/compute/image/image.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { assertAdmin } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../ports/compute-read-model.port';

/** Adds or removes one tag of an image (adding one it has is nothing; removing one it lacks is 404). */
export class ChangeImageTag {
  constructor(
    readonly imageId: string,
    readonly change: 'add' | 'remove',
    readonly tag: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(ChangeImageTag)
export class ChangeImageTagHandler implements ICommandHandler<ChangeImageTag, void> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ imageId, change, tag, principal, requestId }: ChangeImageTag): Promise<void> {
    assertAdmin(principal);
    const image = await this.readModel.getImage(imageId);
    if (!image || image.id !== imageId) throw notFound('ImageNotFound', `No image found with ID ${imageId}`);
    const command =
      change === 'add' ? { type: 'AddTag' as const, tag, now: this.executor.now() } : { type: 'RemoveTag' as const, tag, now: this.executor.now() };
    await this.executor.execute(imageDecider, imageStream(imageId), command, { ...contextOf(principal, requestId), projectId: null });
  }
}
