import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FloatingIpCommand, floatingIpDecider, floatingIpStream } from '../../../domain/network/floating-ip/floating-ip.decider';
import { projectDecider, projectStream } from '../../../domain/identity/project/project.decider';
import { Cidr, broadcast, formatIp, parseCidr } from '../../../domain/network/network/ipv4';
import { conflict, refused } from '../../../domain/shared/domain-error';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../../compute/ports/compute-read-model.port';
import { INSTANCE_READ_MODEL, InstanceReadModel } from '../../compute/ports/instance-read-model.port';
import { HOST_DRIVERS, HostDrivers } from '../../compute/ports/host-drivers.port';
import { HOST_SCOPE, HostScope } from '../../compute/ports/host-scope.port';
import { CommandExecutor } from '../../shared/command-executor';
import { assertCanWrite } from '../../identity/access';
import { claimFirstFree, releaseKey } from '../../shared/unique-names';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { AppLogger, LOGGER } from '../../ports/logger.port';
import { CommandContext, Principal, contextOf } from '../../shared/command-context';
import { DriverError } from '../../shared/driver-error';
import { FloatingIpView, NETWORK_READ_MODEL, NetworkReadModel } from '../ports/network-read-model.port';
import { NetworkQueries } from '../network.queries';
import { NETWORK_SETTINGS, NetworkSettings } from '../network.settings';

const addressStream = (address: string) => `floating-address-${address}`;
const quotaReservation = (floatingIpId: string) => `floating-ip:${floatingIpId}`;

/** The pool's host addresses but the first (the router's), lowest first, each with its claim stream. */
function* poolAddresses(pool: Cidr): Generator<{ stream: string; key: string }> {
  for (let ip = pool.network + 2; ip < broadcast(pool); ip++) yield { stream: addressStream(formatIp(ip)), key: formatIp(ip) };
}

/** The one place that maps floating IPs on a host's switch. */
@Injectable()
export class FloatingIpNat {
  constructor(
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(HOST_DRIVERS) private readonly drivers: HostDrivers,
    @Inject(HOST_SCOPE) private readonly scope: HostScope,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  /**
   * Sets (or clears) the NAT on the port's host; a host that cannot be reached now is left to the
   * reconciler, a host a standalone agent drives to the agent (which reconciles on the change).
   */
  async apply(portId: string, address: string | null): Promise<void> {
    const port = await this.instances.getPort(portId);
    const host = port?.host && this.scope.drives(port.host) ? await this.compute.getHost(port.host) : null;
    if (!host) return;
    try {
      await this.drivers.switch({ hostId: host.id, driver: host.driver, uri: host.uri }).setFloatingIp(portId, address);
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      this.log.warnWith('floating IP not applied; the reconciler will', { portId, host: host.name, error: error.message });
    }
  }
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
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(NETWORK_READ_MODEL) private readonly readModel: NetworkReadModel,
    @Inject(NETWORK_SETTINGS) private readonly settings: NetworkSettings,
  ) {}

  async execute({ principal, requestId }: AllocateFloatingIp): Promise<FloatingIpView> {
    assertCanWrite(principal);
    const floatingIpId = this.ids.next('fip');
    const projectId = principal.projectId;
    const ctx = contextOf(principal, requestId);
    const project = (command: Parameters<typeof projectDecider.decide>[0]) =>
      this.executor.execute(projectDecider, projectStream(projectId), command, ctx, { waitForReadModels: false });
    await project({ type: 'ReserveQuota', reservationId: quotaReservation(floatingIpId), amounts: { floatingIps: 1 }, now: this.executor.now() });
    try {
      const address = await this.claimAddress(floatingIpId, ctx);
      await this.executor.execute(
        floatingIpDecider,
        floatingIpStream(floatingIpId),
        { type: 'AllocateFloatingIp', floatingIpId, projectId, address, now: this.executor.now() },
        ctx,
      );
    } catch (error) {
      await project({ type: 'ReleaseQuota', reservationId: quotaReservation(floatingIpId), now: this.executor.now() }).catch(() => undefined);
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
    private readonly nat: FloatingIpNat,
    private readonly queries: NetworkQueries,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
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
      if (!port || !instance.host || !['active', 'stopped'].includes(instance.state))
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
    await releaseKey(this.executor, addressStream(fip.address), fip.address, fip.id, ctx);
    await this.executor.execute(projectDecider, projectStream(fip.projectId), { type: 'ReleaseQuota', reservationId: quotaReservation(fip.id), now }, ctx);
    return null;
  }
}
