import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/shared/domain-error';
import { listingScope } from '../identity/access';
import { PageRequest } from '../identity/identity-read-model.port';
import { Principal } from '../shared/command-context';
import { NETWORK_READ_MODEL, NetworkReadModel, NetworkView } from './network-read-model.port';

/** Networks as the caller may see them: one's project's, or all for an admin. */
@Injectable()
export class NetworkQueries {
  constructor(@Inject(NETWORK_READ_MODEL) private readonly readModel: NetworkReadModel) {}

  async getNetwork(p: Principal, idOrName: string): Promise<NetworkView> {
    const network = await this.readModel.getNetwork(idOrName, listingScope(p) ?? (idOrName.startsWith('net-') ? null : p.projectId));
    if (!network) throw notFound('NetworkNotFound', 'Network not found');
    return network;
  }

  listNetworks(p: Principal, page: PageRequest) {
    return this.readModel.listNetworks(listingScope(p), page);
  }
}
