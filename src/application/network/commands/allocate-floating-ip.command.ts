import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { floatingIpDecider, floatingIpStream } from '../../../domain/network/floating-ip/floating-ip.decider';
import { QuotaLedger, assertCanWrite } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { claimPoolAddress } from '../floating-pool';
import { floatingIpReservation } from '../network-claims';
import { NETWORK_SETTINGS, NetworkSettings } from '../network.settings';
import { FloatingIpView, NETWORK_READ_MODEL, NetworkReadModel } from '../ports/network-read-model.port';

export class AllocateFloatingIp {
  constructor(
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** Reserves the floatingIps quota, then claims the lowest free address of the pool (its first host address is the router's). */
@CommandHandler(AllocateFloatingIp)
export class AllocateFloatingIpHandler implements ICommandHandler<AllocateFloatingIp, FloatingIpView> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly quota: QuotaLedger,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(NETWORK_READ_MODEL) private readonly readModel: NetworkReadModel,
    @Inject(NETWORK_SETTINGS) private readonly settings: NetworkSettings,
  ) {}

  async execute({ principal, requestId }: AllocateFloatingIp): Promise<FloatingIpView> {
    assertCanWrite(principal);
    const floatingIpId = this.ids.next('fip');
    const projectId = principal.projectId;
    const ctx = contextOf(principal, requestId);
    const reservation = floatingIpReservation(floatingIpId);
    await this.quota.reserve(projectId, reservation, { floatingIps: 1 }, ctx, { waitForReadModels: false });
    try {
      const address = await claimPoolAddress(this.executor, this.readModel, this.settings.floatingIpPool, floatingIpId, ctx);
      await this.executor.execute(
        floatingIpDecider,
        floatingIpStream(floatingIpId),
        { type: 'AllocateFloatingIp', floatingIpId, projectId, address, now: this.executor.now() },
        ctx,
      );
    } catch (error) {
      await this.quota.release(projectId, reservation, ctx, { waitForReadModels: false }).catch(() => undefined);
      throw error;
    }
    return (await this.readModel.getFloatingIp(floatingIpId)) as FloatingIpView;
  }
}
