import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FloatingIpCommand, floatingIpDecider, floatingIpStream } from '../../../domain/network/floating-ip/floating-ip.decider';
import { conflict, refused } from '../../../domain/shared/domain-error';
import { InstanceDirectory } from '../../compute/public';
import { QuotaLedger, assertCanWrite } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { FloatingIpNat } from '../floating-ip-nat';
import { releasePoolAddress } from '../floating-pool';
import { floatingIpReservation } from '../network-claims';
import { NetworkQueries } from '../network.queries';
import { FloatingIpView, NETWORK_READ_MODEL, NetworkReadModel } from '../ports/network-read-model.port';

export class ChangeFloatingIp {
  constructor(
    readonly floatingIpId: string,
    readonly change: { associate: string } | 'disassociate' | 'release',
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/**
 * Associates with an instance of the same project (its first port; the instance must be active or
 * stopped on a host), disassociates, or releases (the address and the quota go back).
 */
@CommandHandler(ChangeFloatingIp)
export class ChangeFloatingIpHandler implements ICommandHandler<ChangeFloatingIp, FloatingIpView | null> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly quota: QuotaLedger,
    private readonly nat: FloatingIpNat,
    private readonly queries: NetworkQueries,
    private readonly instances: InstanceDirectory,
    @Inject(NETWORK_READ_MODEL) private readonly readModel: NetworkReadModel,
  ) {}

  async execute({ floatingIpId, change, principal, requestId }: ChangeFloatingIp): Promise<FloatingIpView | null> {
    assertCanWrite(principal);
    const fip = await this.queries.getFloatingIp(principal, floatingIpId);
    const ctx = { ...contextOf(principal, requestId), projectId: fip.projectId };
    const now = this.executor.now();
    const record = (command: FloatingIpCommand) => this.executor.execute(floatingIpDecider, floatingIpStream(fip.id), command, ctx);
    if (typeof change === 'object') {
      const instance = await this.instances.getInstance(change.associate);
      if (!instance || instance.projectId !== fip.projectId) throw refused('InstanceNotFound', `No instance ${change.associate} in this project`);
      const port = instance.addresses[0];
      if (!port || !InstanceDirectory.isAtRest(instance))
        throw conflict('InstanceNotReady', `Instance ${instance.id} is ${instance.state}; a floating IP needs an active or stopped instance with a port`);
      await record({ type: 'Associate', instanceId: instance.id, portId: port.portId, fixedIp: port.ip, now });
      await this.nat.apply(port.portId, fip.address);
      return this.readModel.getFloatingIp(fip.id);
    }
    if (fip.portId) await this.nat.apply(fip.portId, null);
    if (change === 'disassociate') {
      await record({ type: 'Disassociate', now });
      return this.readModel.getFloatingIp(fip.id);
    }
    await record({ type: 'ReleaseFloatingIp', now });
    await releasePoolAddress(this.executor, fip.address, fip.id, ctx);
    await this.quota.release(fip.projectId, floatingIpReservation(fip.id), ctx);
    return null;
  }
}
