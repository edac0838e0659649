import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { HostDriver, Resources, hostDecider, hostStream } from '../../../domain/compute/host/host.decider';
import { CommandExecutor } from '../../shared/command-executor';
import { assertAdmin } from '../../identity/public';
import { withClaimedName } from '../../shared/unique-names';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel, HostView } from '../ports/compute-read-model.port';

export const DEFAULT_ZONE = 'nova';

export class RegisterHost {
  constructor(
    readonly name: string,
    readonly driver: HostDriver,
    readonly uri: string | null,
    readonly capacity: Resources,
    readonly zone: string | null,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(RegisterHost)
export class RegisterHostHandler implements ICommandHandler<RegisterHost, HostView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ name, driver, uri, capacity, zone, principal, requestId }: RegisterHost): Promise<HostView> {
    assertAdmin(principal);
    const hostId = this.ids.next('host');
    const ctx = { ...contextOf(principal, requestId), projectId: null };
    await withClaimedName(this.executor, 'host', name, hostId, ctx, () =>
      this.executor.execute(
        hostDecider,
        hostStream(hostId),
        { type: 'RegisterHost', hostId, name, driver, uri, zone: zone ?? DEFAULT_ZONE, capacity, now: this.executor.now() },
        ctx,
      ),
    );
    return (await this.readModel.getHost(hostId)) as HostView;
  }
}
