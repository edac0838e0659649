import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FlavorSpecData, flavorDecider, flavorStream } from '../../../domain/compute/flavor/flavor.decider';
import { CommandExecutor } from '../../shared/command-executor';
import { assertAdmin } from '../../identity/public';
import { withClaimedName } from '../../shared/unique-names';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel, FlavorView } from '../ports/compute-read-model.port';

export class CreateFlavor {
  constructor(
    readonly name: string,
    readonly spec: FlavorSpecData,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(CreateFlavor)
export class CreateFlavorHandler implements ICommandHandler<CreateFlavor, FlavorView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ name, spec, principal, requestId }: CreateFlavor): Promise<FlavorView> {
    assertAdmin(principal);
    const flavorId = this.ids.next('flv');
    const ctx = { ...contextOf(principal, requestId), projectId: null };
    await withClaimedName(this.executor, 'flavor', name, flavorId, ctx, () =>
      this.executor.execute(flavorDecider, flavorStream(flavorId), { type: 'CreateFlavor', flavorId, name, ...spec, now: this.executor.now() }, ctx),
    );
    return (await this.readModel.getFlavor(flavorId)) as FlavorView;
  }
}
