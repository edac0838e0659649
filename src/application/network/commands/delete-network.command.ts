import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { networkDecider, networkStream } from '../../../domain/network/network/network.decider';
import { QuotaLedger, assertCanWrite } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { nameKey, releaseKey } from '../../shared/unique-names';
import { networkNameStream, networkReservation, vlanStream } from '../network-claims';
import { NetworkQueries } from '../network.queries';

export class DeleteNetwork {
  constructor(
    readonly idOrName: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** Deletes an unused network (409 NetworkInUse otherwise) and gives back its VLAN, name and quota. */
@CommandHandler(DeleteNetwork)
export class DeleteNetworkHandler implements ICommandHandler<DeleteNetwork, void> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly quota: QuotaLedger,
    private readonly queries: NetworkQueries,
  ) {}

  async execute({ idOrName, principal, requestId }: DeleteNetwork): Promise<void> {
    assertCanWrite(principal);
    const network = await this.queries.getOwnNetwork(principal, idOrName);
    const ctx = { ...contextOf(principal, requestId), projectId: network.projectId };
    await this.executor.execute(networkDecider, networkStream(network.id), { type: 'DeleteNetwork', now: this.executor.now() }, ctx);
    await releaseKey(this.executor, vlanStream(network.vlan), String(network.vlan), network.id, ctx);
    await releaseKey(this.executor, networkNameStream(network.projectId, network.name), nameKey(network.name), network.id, ctx);
    await this.quota.release(network.projectId, networkReservation(network.id), ctx);
  }
}
