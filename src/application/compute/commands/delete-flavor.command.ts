import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { flavorDecider, flavorStream } from '../../../domain/compute/flavor/flavor.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { assertAdmin } from '../../identity/public';
import { releaseName } from '../../shared/unique-names';
import { Principal, contextOf } from '../../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../ports/compute-read-model.port';

export class DeleteFlavor {
  constructor(
    readonly idOrName: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(DeleteFlavor)
export class DeleteFlavorHandler implements ICommandHandler<DeleteFlavor, void> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ idOrName, principal, requestId }: DeleteFlavor): Promise<void> {
    assertAdmin(principal);
    const flavor = await this.readModel.getFlavor(idOrName);
    if (!flavor) throw notFound('FlavorNotFound', 'Flavor not found');
    const ctx = { ...contextOf(principal, requestId), projectId: null };
    await this.executor.execute(flavorDecider, flavorStream(flavor.id), { type: 'DeleteFlavor', now: this.executor.now() }, ctx);
    await releaseName(this.executor, 'flavor', flavor.name, flavor.id, ctx);
  }
}
