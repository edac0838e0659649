import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { imageDecider, imageStream } from '../../../domain/compute/image/image.decider';
import { conflict, notFound } from '../../../domain/shared/domain-error';
import { assertAdmin } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { COMPUTE_READ_MODEL, ComputeReadModel, ImageView } from '../ports/compute-read-model.port';
import { IMAGE_MAX_BYTES, IMAGE_STORE, ImageStore } from '../ports/image-store.port';

/** A queued image's data, streamed into the image store; its size and digests are recorded and the image becomes active. */
export class UploadImageData {
  constructor(
    readonly imageId: string,
    readonly data: AsyncIterable<Uint8Array>,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(UploadImageData)
export class UploadImageDataHandler implements ICommandHandler<UploadImageData, ImageView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(IMAGE_STORE) private readonly store: ImageStore,
    @Inject(IMAGE_MAX_BYTES) private readonly maxBytes: number,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ imageId, data, principal, requestId }: UploadImageData): Promise<ImageView> {
    assertAdmin(principal);
    const image = await this.readModel.getImage(imageId);
    if (!image || image.id !== imageId) throw notFound('ImageNotFound', `No image found with ID ${imageId}`);
    // Refused before a byte is read: the data of an image is never replaced.
    if (image.status !== 'queued') throw conflict('ImageDataExists', 'Image data already exists: it cannot be replaced');
    const stored = await this.store.write(imageId, image.diskFormat, data, this.maxBytes);
    try {
      await this.executor.execute(
        imageDecider,
        imageStream(imageId),
        { type: 'RecordUpload', ...stored, now: this.executor.now() },
        { ...contextOf(principal, requestId), projectId: null },
      );
    } catch (error) {
      await this.store.discard(stored.source).catch(() => undefined);
      throw error;
    }
    return (await this.readModel.getImage(imageId)) as ImageView;
  }
}
