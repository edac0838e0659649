import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/shared/domain-error';
import { listingScope } from '../identity/public';
import { PageRequest } from '../shared/paging';
import { Principal } from '../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel, ImageView } from './ports/compute-read-model.port';
import { IMAGE_STORE, ImageStore } from './ports/image-store.port';

const orNotFound = async <T>(value: Promise<T | null>, code: string, message: string): Promise<T> => {
  const found = await value;
  if (!found) throw notFound(code, message);
  return found;
};

/** Compute's read side: flavors, images and hosts are visible to every user; keypairs to their project. */
@Injectable()
export class ComputeQueries {
  constructor(
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
    @Inject(IMAGE_STORE) private readonly images: ImageStore,
  ) {}

  /** An image by its id only (Glance's way: a name is not an id). */
  async imageById(id: string): Promise<ImageView> {
    const image = await this.readModel.getImage(id);
    if (!image || image.id !== id) throw notFound('ImageNotFound', `No image found with ID ${id}`);
    return image;
  }

  /**
   * An image and its stored data, opened for the caller to stream (and so to consume or destroy);
   * null data for a queued image or one registered from a directory.
   */
  async imageData(id: string): Promise<{ image: ImageView; data: AsyncIterable<Uint8Array> | null }> {
    const image = await this.imageById(id);
    return { image, data: image.status === 'active' ? this.images.read(image.source) : null };
  }

  getFlavor = (idOrName: string) => orNotFound(this.readModel.getFlavor(idOrName), 'FlavorNotFound', 'Flavor not found');
  listFlavors = (page: PageRequest) => this.readModel.listFlavors(page);
  getImage = (idOrName: string) => orNotFound(this.readModel.getImage(idOrName), 'ImageNotFound', 'Image not found');
  listImages = (page: PageRequest) => this.readModel.listImages(page);
  getHost = (idOrName: string) => orNotFound(this.readModel.getHost(idOrName), 'HostNotFound', 'Host not found');
  listHosts = (page: PageRequest) => this.readModel.listHosts(page);
  getKeyPair = (p: Principal, name: string) => orNotFound(this.readModel.getKeyPair(p.projectId, name), 'KeyPairNotFound', 'Key pair not found');
  listKeyPairs = (p: Principal, page: PageRequest) => this.readModel.listKeyPairs(listingScope(p), page);
}
