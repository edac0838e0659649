import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { imageDecider, imageStream } from '../../../domain/compute/image/image.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { assertAdmin } from '../../identity/public';
import { releaseName } from '../../shared/unique-names';
import { Principal, contextOf } from '../../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../ports/compute-read-model.port';

export class DeleteImage {
  constructor(
    readonly idOrName: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(DeleteImage)
export class DeleteImageHandler implements ICommandHandler<DeleteImage, void> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ idOrName, principal, requestId }: DeleteImage): Promise<void> {
    assertAdmin(principal);
    const image = await this.readModel.getImage(idOrName);
    if (!image) throw notFound('ImageNotFound', 'Image not found');
    const ctx = { ...contextOf(principal, requestId), projectId: null };
    await this.executor.execute(imageDecider, imageStream(image.id), { type: 'DeleteImage', now: this.executor.now() }, ctx);
    await releaseName(this.executor, 'image', image.name, image.id, ctx);
  }
}
