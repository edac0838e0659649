import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { tokenDecider, tokenStream } from '../../../domain/identity/token/token.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { Principal, contextOf, isAdmin } from '../../shared/command-context';
import { IDENTITY_READ_MODEL, IdentityReadModel } from '../ports/identity-read-model.port';

/** Revokes a token: one's own, or (admin) anyone's. */
export class RevokeToken {
  constructor(
    readonly tokenId: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(RevokeToken)
export class RevokeTokenHandler implements ICommandHandler<RevokeToken, void> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
  ) {}

  async execute({ tokenId, principal, requestId }: RevokeToken): Promise<void> {
    const token = await this.readModel.getToken(tokenId);
    if (!token || (!isAdmin(principal) && token.userId !== principal.userId)) throw notFound('TokenNotFound', 'Token not found');
    await this.executor.execute(
      tokenDecider,
      tokenStream(tokenId),
      { type: 'RevokeToken', now: this.executor.now() },
      {
        ...contextOf(principal, requestId),
        projectId: token.projectId,
      },
    );
  }
}
