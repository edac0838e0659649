import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/shared/domain-error';
import { assertInScope, listingScope } from '../identity/access';
import { PageRequest } from '../identity/identity-read-model.port';
import { Principal } from '../shared/command-context';
import { VOLUME_READ_MODEL, VolumeReadModel, VolumeView } from './volume-read-model.port';

const NOT_FOUND = { code: 'VolumeNotFound', message: 'Volume not found' };

@Injectable()
export class VolumeQueries {
  constructor(@Inject(VOLUME_READ_MODEL) private readonly readModel: VolumeReadModel) {}

  async getVolume(p: Principal, id: string): Promise<VolumeView> {
    const volume = await this.readModel.getVolume(id);
    if (!volume) throw notFound(NOT_FOUND.code, NOT_FOUND.message);
    assertInScope(p, volume.projectId, NOT_FOUND);
    return volume;
  }

  listVolumes(p: Principal, page: PageRequest) {
    return this.readModel.listVolumes(listingScope(p), page);
  }
}
