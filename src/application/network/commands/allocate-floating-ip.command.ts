import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { floatingIpDecider, floatingIpStream } from '../../../domain/network/floating-ip/floating-ip.decider';
import { Cidr, broadcast, formatIp, parseCidr } from '../../../domain/network/network/ipv4';
import { refused } from '../../../domain/shared/domain-error';
import { QuotaLedger, assertCanWrite } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { CommandContext, Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { claimFirstFree } from '../../shared/unique-names';
import { addressStream, floatingIpReservation } from '../network-claims';
import { NETWORK_SETTINGS, NetworkSettings } from '../network.settings';
import { FloatingIpView, NETWORK_READ_MODEL, NetworkReadModel } from '../ports/network-read-model.port';

/** The pool's host addresses but the first (the router's), lowest first, each with its claim stream. */
function* poolAddresses(pool: Cidr): Generator<{ stream: string; key: string }> {
  for (let ip = pool.network + 2; ip < broadcast(pool); ip++) yield { stream: addressStream(formatIp(ip)), key: formatIp(ip) };
}

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
      const address = await this.claimAddress(floatingIpId, ctx);
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

  private async claimAddress(floatingIpId: string, ctx: CommandContext): Promise<string> {
    const pool = parseCidr(this.settings.floatingIpPool, { minPrefix: 8, maxPrefix: 30, field: 'pool' });
    const used = new Set(await this.readModel.usedFloatingAddresses());
    const claimed = await claimFirstFree(this.executor, poolAddresses(pool), used, floatingIpId, ctx);
    if (claimed !== null) return claimed;
    throw refused('FloatingIpPoolExhausted', `No free address left in ${pool.text}`);
  }
}
