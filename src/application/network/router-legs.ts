import { Inject, Injectable } from '@nestjs/common';
import { addressOf, networkDecider, networkStream } from '../../domain/network/network/network.decider';
import { PortOfRouter, portDecider, portStream } from '../../domain/network/port/port.decider';
import { LiveRouter, RouterLeg } from '../../domain/network/router/router.decider';
import { DomainError, conflict, invalid } from '../../domain/shared/domain-error';
import { ID_GENERATOR, IdGenerator } from '../ports/id-generator.port';
import { CommandContext } from '../shared/command-context';
import { CommandExecutor } from '../shared/command-executor';
import { POOL_NETWORK_ID, claimPoolAddress, releasePoolAddress } from './floating-pool';
import { macFor } from './mac-address';
import { NETWORK_SETTINGS, NetworkSettings } from './network.settings';
import { NETWORK_READ_MODEL, NetworkReadModel, NetworkView, SubnetView } from './ports/network-read-model.port';

/**
 * A router's legs as ports: an interface takes its subnet's gateway address (so one subnet is on
 * one router at most: the network decides who holds the address), a gateway the next free address
 * of the external network (of the floating-IP pool: its claim, as a floating IP's). Each step is
 * undone when a later one fails; giving a leg back deletes its port and frees its address.
 */
@Injectable()
export class RouterLegs {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(NETWORK_READ_MODEL) private readonly readModel: NetworkReadModel,
    @Inject(NETWORK_SETTINGS) private readonly settings: NetworkSettings,
  ) {}

  /** A port holding the subnet's gateway address, for the router's interface on it. */
  async takeInterface(router: LiveRouter, network: NetworkView, subnet: SubnetView, ctx: CommandContext): Promise<RouterLeg> {
    if (subnet.gateway === null) throw invalid('SubnetHasNoGateway', `Subnet ${subnet.subnetId} has no gateway address for a router to take`);
    const portId = this.ids.next('port');
    try {
      await this.executor.execute(
        networkDecider,
        networkStream(network.id),
        { type: 'AllocateIp', portId, ip: subnet.gateway, subnetId: subnet.subnetId, gateway: true, now: this.executor.now() },
        ctx,
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'IpInUse') {
        throw conflict('GatewayInUse', `The gateway ${subnet.gateway} of subnet ${subnet.subnetId} is already a router's interface`);
      }
      throw error;
    }
    const leg = { networkId: network.id, portId, ip: subnet.gateway };
    await this.createPort(router, leg, { routerId: router.routerId, role: 'interface' }, ctx).catch(async (error) => {
      await this.giveBack(leg, ctx);
      throw error;
    });
    return leg;
  }

  /** A port with the next free address of the external network, for the router's gateway. */
  async takeGateway(router: LiveRouter, network: NetworkView, ctx: CommandContext): Promise<RouterLeg> {
    if (!network.external) throw invalid('NetworkNotExternal', `Network ${network.name} is not external; a router's gateway must be on an external network`);
    const portId = this.ids.next('port');
    let ip: string;
    if (network.id === POOL_NETWORK_ID) {
      ip = await claimPoolAddress(this.executor, this.readModel, this.settings.floatingIpPool, portId, ctx);
    } else {
      const { state } = await this.executor.execute(networkDecider, networkStream(network.id), { type: 'AllocateIp', portId, now: this.executor.now() }, ctx);
      ip = addressOf(state, portId) as string;
    }
    const leg = { networkId: network.id, portId, ip };
    await this.createPort(router, leg, { routerId: router.routerId, role: 'gateway' }, ctx).catch(async (error) => {
      await this.giveBack(leg, ctx);
      throw error;
    });
    return leg;
  }

  /** Deletes the leg's port and frees its address; idempotent. */
  async giveBack(leg: RouterLeg, ctx: CommandContext): Promise<void> {
    await this.executor.execute(portDecider, portStream(leg.portId), { type: 'DeletePort', now: this.executor.now() }, ctx);
    if (leg.networkId === POOL_NETWORK_ID) {
      await releasePoolAddress(this.executor, leg.ip, leg.portId, ctx);
      return;
    }
    try {
      await this.executor.execute(networkDecider, networkStream(leg.networkId), { type: 'ReleaseIp', portId: leg.portId, now: this.executor.now() }, ctx);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'NetworkNotFound')) throw error;
    }
  }

  private async createPort(router: LiveRouter, leg: RouterLeg, role: PortOfRouter, ctx: CommandContext): Promise<void> {
    await this.executor.execute(
      portDecider,
      portStream(leg.portId),
      {
        type: 'CreatePort',
        portId: leg.portId,
        projectId: router.projectId,
        networkId: leg.networkId,
        mac: macFor(leg.portId),
        ip: leg.ip,
        instanceId: null,
        securityGroups: [],
        router: role,
        now: this.executor.now(),
      },
      ctx,
    );
  }
}
