import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { securityGroupDecider, securityGroupStream } from '../../../domain/network/security-group/security-group.decider';
import { conflict } from '../../../domain/shared/domain-error';
import { assertCanWrite } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { nameKey, releaseKey } from '../../shared/unique-names';
import { groupNameStream } from '../network-claims';
import { NetworkQueries } from '../network.queries';
import { NETWORK_READ_MODEL, NetworkReadModel } from '../ports/network-read-model.port';

export class DeleteSecurityGroup {
  constructor(
    readonly idOrName: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** Deletes a group no port carries (409 SecurityGroupInUse otherwise) and frees its name. */
@CommandHandler(DeleteSecurityGroup)
export class DeleteSecurityGroupHandler implements ICommandHandler<DeleteSecurityGroup, void> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: NetworkQueries,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
  ) {}

  async execute({ idOrName, principal, requestId }: DeleteSecurityGroup): Promise<void> {
    assertCanWrite(principal);
    const group = await this.queries.getSecurityGroup(principal, idOrName);
    const users = await this.networks.listPortsInSecurityGroup(group.id);
    if (users.length > 0) throw conflict('SecurityGroupInUse', `${users.length} port(s) still carry the group, e.g. ${users[0].id}`);
    const ctx = { ...contextOf(principal, requestId), projectId: group.projectId };
    await this.executor.execute(securityGroupDecider, securityGroupStream(group.id), { type: 'DeleteSecurityGroup', now: this.executor.now() }, ctx);
    await releaseKey(this.executor, groupNameStream(group.projectId, group.name), nameKey(group.name), group.id, ctx);
  }
}
