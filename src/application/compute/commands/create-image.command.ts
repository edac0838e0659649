import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { imageDecider, imageStream } from '../../../domain/compute/image/image.decider';
import { assertAdmin } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { withClaimedName } from '../../shared/unique-names';
import { COMPUTE_READ_MODEL, ComputeReadModel, ImageView } from '../ports/compute-read-model.port';

export type NewImage = { name: string; os: string; minDiskGiB: number; diskFormat: string; containerFormat: string; tags: string[] };

/** An image without its data yet (queued), as Glance creates one; the upload makes it active. Admins only, as registering is. */
export class CreateImage {
  constructor(
    readonly image: NewImage,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(CreateImage)
export class CreateImageHandler implements ICommandHandler<CreateImage, ImageView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ image, principal, requestId }: CreateImage): Promise<ImageView> {
    assertAdmin(principal);
    const imageId = this.ids.next('img');
    const ctx = { ...contextOf(principal, requestId), projectId: null };
    await withClaimedName(this.executor, 'image', image.name, imageId, ctx, () =>
      this.executor.execute(imageDecider, imageStream(imageId), { type: 'CreateImage', imageId, ...image, now: this.executor.now() }, ctx),
    );
    return (await this.readModel.getImage(imageId)) as ImageView;
  }
}
