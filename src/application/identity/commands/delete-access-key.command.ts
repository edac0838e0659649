import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { accessKeyDecider, accessKeyStream } from '../../../domain/identity/access-key/access-key.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { Principal, contextOf, isAdmin } from '../../shared/command-context';
import { assertCanWrite } from '../access';
import { IDENTITY_READ_MODEL, IdentityReadModel } from '../ports/identity-read-model.port';

export class DeleteAccessKey {
  constructor(
    readonly accessKeyId: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(DeleteAccessKey)
export class DeleteAccessKeyHandler implements ICommandHandler<DeleteAccessKey, void> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
  ) {}

  async execute({ accessKeyId, principal, requestId }: DeleteAccessKey): Promise<void> {
    assertCanWrite(principal);
    const key = await this.readModel.getAccessKey(accessKeyId);
    if (!key || key.status !== 'active' || (!isAdmin(principal) && key.userId !== principal.userId)) {
      throw notFound('AccessKeyNotFound', 'Access key not found');
    }
    await this.executor.execute(
      accessKeyDecider,
      accessKeyStream(accessKeyId),
      { type: 'DeleteAccessKey', now: this.executor.now() },
      contextOf(principal, requestId),
    );
  }
}
