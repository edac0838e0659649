import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FlavorSpecData, flavorDecider, flavorStream } from '../../../domain/compute/flavor/flavor.decider';
import { imageDecider, imageStream } from '../../../domain/compute/image/image.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { assertAdmin } from '../../identity/access';
import { releaseName, withClaimedName } from '../../shared/unique-names';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel, FlavorView, ImageView } from '../ports/compute-read-model.port';

export class CreateFlavor {
  constructor(
    readonly name: string,
    readonly spec: FlavorSpecData,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(CreateFlavor)
export class CreateFlavorHandler implements ICommandHandler<CreateFlavor, FlavorView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ name, spec, principal, requestId }: CreateFlavor): Promise<FlavorView> {
    assertAdmin(principal);
    const flavorId = this.ids.next('flv');
    const ctx = { ...contextOf(principal, requestId), projectId: null };
    await withClaimedName(this.executor, 'flavor', name, flavorId, ctx, () =>
      this.executor.execute(flavorDecider, flavorStream(flavorId), { type: 'CreateFlavor', flavorId, name, ...spec, now: this.executor.now() }, ctx),
    );
    return (await this.readModel.getFlavor(flavorId)) as FlavorView;
  }
}

export class DeleteFlavor {
  constructor(
    readonly idOrName: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(DeleteFlavor)
export class DeleteFlavorHandler implements ICommandHandler<DeleteFlavor, void> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ idOrName, principal, requestId }: DeleteFlavor): Promise<void> {
    assertAdmin(principal);
    const flavor = await this.readModel.getFlavor(idOrName);
    if (!flavor) throw notFound('FlavorNotFound', 'Flavor not found');
    const ctx = { ...contextOf(principal, requestId), projectId: null };
    await this.executor.execute(flavorDecider, flavorStream(flavor.id), { type: 'DeleteFlavor', now: this.executor.now() }, ctx);
    await releaseName(this.executor, 'flavor', flavor.name, flavor.id, ctx);
  }
}

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
