import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { imageDecider, imageStream } from '../../../domain/compute/image/image.decider';
import { CommandExecutor } from '../../shared/command-executor';
import { assertAdmin } from '../../identity/public';
import { withClaimedName } from '../../shared/unique-names';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel, ImageView } from '../ports/compute-read-model.port';

export class RegisterImage {
  constructor(
    readonly name: string,
    readonly os: string,
    readonly minDiskGiB: number,
    readonly source: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(RegisterImage)
export class RegisterImageHandler implements ICommandHandler<RegisterImage, ImageView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ name, os, minDiskGiB, source, principal, requestId }: RegisterImage): Promise<ImageView> {
    assertAdmin(principal);
    const imageId = this.ids.next('img');
    const ctx = { ...contextOf(principal, requestId), projectId: null };
    await withClaimedName(this.executor, 'image', name, imageId, ctx, () =>
      this.executor.execute(
        imageDecider,
        imageStream(imageId),
        { type: 'RegisterImage', imageId, name, os, minDiskGiB, source, now: this.executor.now() },
        ctx,
      ),
    );
    return (await this.readModel.getImage(imageId)) as ImageView;
  }
}
