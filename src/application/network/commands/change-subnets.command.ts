import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import { networkDecider, networkStream } from '../../../domain/network/network/network.decider';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { assertCanWrite } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { NetworkQueries } from '../network.queries';
import { SubnetView } from '../ports/network-read-model.port';
import { NewSubnet } from './create-network.command';

/** Adds a subnet to a network of the caller's project (the CIDR must not overlap the network's others). */
export class AddSubnet {
  constructor(
    readonly networkIdOrName: string,
    readonly subnet: NewSubnet,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** Deletes a subnet none of whose addresses is in use (409 SubnetInUse: a port or a router interface holds one). */
export class DeleteSubnet {
  constructor(
    readonly subnetId: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(AddSubnet)
export class AddSubnetHandler implements ICommandHandler<AddSubnet, SubnetView> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: NetworkQueries,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ networkIdOrName, subnet, principal, requestId }: AddSubnet): Promise<SubnetView> {
    assertCanWrite(principal);
    const network = await this.queries.getOwnNetwork(principal, networkIdOrName);
    const subnetId = this.ids.next('subnet');
    const ctx = { ...contextOf(principal, requestId), projectId: network.projectId };
    await this.executor.execute(
      networkDecider,
      networkStream(network.id),
      { type: 'AddSubnet', subnet: { ...subnet, subnetId }, now: this.executor.now() },
      ctx,
    );
    return (await this.queries.getSubnet(principal, subnetId)).subnet;
  }
}

@CommandHandler(DeleteSubnet)
export class DeleteSubnetHandler implements ICommandHandler<DeleteSubnet, void> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: NetworkQueries,
  ) {}

  async execute({ subnetId, principal, requestId }: DeleteSubnet): Promise<void> {
    assertCanWrite(principal);
    const { network } = await this.queries.getSubnet(principal, subnetId);
    await this.queries.getOwnNetwork(principal, network.id);
    const ctx = { ...contextOf(principal, requestId), projectId: network.projectId };
    await this.executor.execute(networkDecider, networkStream(network.id), { type: 'DeleteSubnet', subnetId, now: this.executor.now() }, ctx);
  }
}
