import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/shared/domain-error';
import { listingScope } from '../identity/public';
import { PageRequest } from '../shared/paging';
import { Principal } from '../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel } from './ports/compute-read-model.port';

const orNotFound = async <T>(value: Promise<T | null>, code: string, message: string): Promise<T> => {
  const found = await value;
  if (!found) throw notFound(code, message);
  return found;
};

/** Compute's read side: flavors, images and hosts are visible to every user; keypairs to their project. */
@Injectable()
export class ComputeQueries {
  constructor(@Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel) {}

  getFlavor = (idOrName: string) => orNotFound(this.readModel.getFlavor(idOrName), 'FlavorNotFound', 'Flavor not found');
  listFlavors = (page: PageRequest) => this.readModel.listFlavors(page);
  getImage = (idOrName: string) => orNotFound(this.readModel.getImage(idOrName), 'ImageNotFound', 'Image not found');
  listImages = (page: PageRequest) => this.readModel.listImages(page);
  getHost = (idOrName: string) => orNotFound(this.readModel.getHost(idOrName), 'HostNotFound', 'Host not found');
  listHosts = (page: PageRequest) => this.readModel.listHosts(page);
  getKeyPair = (p: Principal, name: string) => orNotFound(this.readModel.getKeyPair(p.projectId, name), 'KeyPairNotFound', 'Key pair not found');
  listKeyPairs = (p: Principal, page: PageRequest) => this.readModel.listKeyPairs(listingScope(p), page);
}
