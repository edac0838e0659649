import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { keyPairDecider, keyPairStream } from '../../../domain/compute/keypair/keypair.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { assertCanWrite } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { nameKey, releaseKey } from '../../shared/unique-names';
import { keyPairNameStream } from '../keypair-names';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../ports/compute-read-model.port';

export class DeleteKeyPair {
  constructor(
    readonly name: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(DeleteKeyPair)
export class DeleteKeyPairHandler implements ICommandHandler<DeleteKeyPair, void> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ name, principal, requestId }: DeleteKeyPair): Promise<void> {
    assertCanWrite(principal);
    const keyPair = await this.readModel.getKeyPair(principal.projectId, name);
    if (!keyPair) throw notFound('KeyPairNotFound', 'Key pair not found');
    const ctx = contextOf(principal, requestId);
    await this.executor.execute(keyPairDecider, keyPairStream(keyPair.id), { type: 'DeleteKeyPair', now: this.executor.now() }, ctx);
    await releaseKey(this.executor, keyPairNameStream(keyPair.projectId, keyPair.name), nameKey(keyPair.name), keyPair.id, ctx);
  }
}
