import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { SECRETS, Secrets } from '../../ports/secrets.port';
import { unauthenticated } from '../../shared/application-error';
import { Principal } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { IDENTITY_READ_MODEL, IdentityReadModel } from '../ports/identity-read-model.port';
import { IssuedToken, issueTokenFor, projectFor } from './issue-token.command';

/** A new token for the holder of a valid one, in another project (Keystone's token method); null: their first project. */
export class RescopeToken {
  constructor(
    readonly holder: Principal,
    readonly project: string | null,
    readonly ttlSeconds: number,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(RescopeToken)
export class RescopeTokenHandler implements ICommandHandler<RescopeToken, IssuedToken> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(SECRETS) private readonly secrets: Secrets,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
  ) {}

  async execute(command: RescopeToken): Promise<IssuedToken> {
    const project = await projectFor(this.readModel, command.holder.userId, command.project);
    if (!project) throw unauthenticated();
    // The holder was authenticated (active, with a role) a moment ago; the decider checks the new project's role.
    return issueTokenFor(this.executor, this.ids, this.secrets, this.readModel, { userId: command.holder.userId, userActive: true, project }, command);
  }
}
