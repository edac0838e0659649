import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Metadata, MetadataChange } from '../../../domain/shared/metadata';
import { securityGroupDecider, securityGroupStream } from '../../../domain/network/security-group/security-group.decider';
import { assertCanWrite } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { NetworkQueries } from '../network.queries';

/** Changes a security group's metadata (EC2's tags); answers it as it now is. */
export class ChangeSecurityGroupMetadata {
  constructor(
    readonly idOrName: string,
    readonly change: MetadataChange,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(ChangeSecurityGroupMetadata)
export class ChangeSecurityGroupMetadataHandler implements ICommandHandler<ChangeSecurityGroupMetadata, Metadata> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: NetworkQueries,
  ) {}

  async execute({ idOrName, change, principal, requestId }: ChangeSecurityGroupMetadata): Promise<Metadata> {
    assertCanWrite(principal);
    const group = await this.queries.getSecurityGroup(principal, idOrName);
    const after = await this.executor.execute(
      securityGroupDecider,
      securityGroupStream(group.id),
      { type: 'ChangeMetadata', change, now: this.executor.now() },
      { ...contextOf(principal, requestId), projectId: group.projectId },
    );
    return after.state.status === 'active' ? after.state.metadata : {};
  }
}
