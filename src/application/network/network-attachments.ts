import { Inject, Injectable } from '@nestjs/common';
import { addressOf, networkDecider, networkStream } from '../../domain/network/network/network.decider';
import { portDecider, portStream } from '../../domain/network/port/port.decider';
import { DomainError } from '../../domain/shared/domain-error';
import { HostRef } from '../compute/public';
import { CommandContext } from '../shared/command-context';
import { CommandExecutor } from '../shared/command-executor';
import { DriverError } from '../shared/driver-error';
import { FloatingIpNat } from './floating-ip-nat';
import { macFor } from './mac-address';
import { addressingOf, segmentOf } from './network-segment';
import { plugPortAsRecorded } from './plug-port';
import { NETWORK_READ_MODEL, NetworkReadModel } from './ports/network-read-model.port';
import { SWITCHES, SwitchDrivers } from './ports/switch-drivers.port';
import { SecurityRules } from './security-rules';
import { RouterRealizer } from './router-realizer';
import { floatingIpDecider, floatingIpStream } from '../../domain/network/floating-ip/floating-ip.decider';

/**
 * A port an instance asks for: its id (derived from the instance's by Compute), its network, maybe
 * a fixed address; or (`existing`) a port made beforehand, which the instance takes and leaves.
 */
export type PortRequest = { portId: string; networkId: string; ip?: string; existing?: boolean };
export type PortAttachment = { portId: string; networkId: string; ip: string; mac: string };
/** What a hypervisor needs of a port to give the guest its NIC. */
export type Nic = { portId: string; mac: string; ip: string; prefix: number; gateway: string | null; vlan: number };

const NO_WAIT = { waitForReadModels: false };
/** Ports have ids derived from their instance's: usually new streams (see CommandExecutor.execute). */
const NEW_STREAM = { waitForReadModels: false, newStream: true };

/**
 * An instance's ports, for Compute: addresses allocated on their networks (IPAM: never one twice),
 * ports created, bound, plugged on a host's switch with their groups' rules, unplugged, given
 * back; and the instance's floating IPs unmapped. Every call is idempotent (ports keyed by id).
 */
@Injectable()
export class NetworkAttachments {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly rules: SecurityRules,
    private readonly nat: FloatingIpNat,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
    @Inject(SWITCHES) private readonly switches: SwitchDrivers,
    private readonly routers: RouterRealizer,
  ) {}

  /**
   * Allocates an address and creates a port for each request, in order. A refusal (a network gone,
   * no address left) is returned as its reason; what was allocated before it is given back by
   * `release`, as for any failed instance.
   */
  async allocate(
    owner: { instanceId: string; projectId: string; securityGroups: string[] },
    requests: readonly PortRequest[],
    ctx: CommandContext,
  ): Promise<{ attachments: PortAttachment[] } | { refused: string }> {
    const attachments: PortAttachment[] = [];
    for (const request of requests) {
      if (request.existing) {
        const taken = await this.take(request.portId, owner.instanceId, ctx);
        if ('refused' in taken) return taken;
        attachments.push(taken);
        continue;
      }
      const network = await segmentOf(this.executor, request.networkId);
      if (!network) return { refused: `Network ${request.networkId} no longer exists` };
      let ip: string;
      try {
        const result = await this.executor.execute(
          networkDecider,
          networkStream(network.id),
          { type: 'AllocateIp', portId: request.portId, ip: request.ip, now: this.executor.now() },
          ctx,
          NO_WAIT,
        );
        const held = addressOf(result.state, request.portId);
        if (held === undefined) return { refused: `No address on network ${network.id}` };
        ip = held;
      } catch (error) {
        if (error instanceof DomainError) return { refused: `Network ${network.id}: ${error.message}` };
        throw error;
      }
      const mac = macFor(request.portId);
      await this.executor.execute(
        portDecider,
        portStream(request.portId),
        {
          type: 'CreatePort',
          portId: request.portId,
          projectId: owner.projectId,
          networkId: network.id,
          mac,
          ip,
          instanceId: owner.instanceId,
          securityGroups: owner.securityGroups,
          now: this.executor.now(),
        },
        ctx,
        NEW_STREAM,
      );
      attachments.push({ portId: request.portId, networkId: network.id, ip, mac });
    }
    return { attachments };
  }

  /** A port made beforehand, taken for the instance (its address and MAC as they are). */
  private async take(portId: string, instanceId: string, ctx: CommandContext): Promise<PortAttachment | { refused: string }> {
    try {
      const { state } = await this.executor.execute(
        portDecider,
        portStream(portId),
        { type: 'AttachPort', instanceId, now: this.executor.now() },
        ctx,
        NO_WAIT,
      );
      if (state.status !== 'down' && state.status !== 'active') return { refused: `Port ${portId} no longer exists` };
      return { portId, networkId: state.networkId, ip: state.ip, mac: state.mac };
    } catch (error) {
      if (error instanceof DomainError) return { refused: `Port ${portId}: ${error.message}` };
      throw error;
    }
  }

  /** The guest's NICs: each port with its subnet's prefix and gateway and its network's VLAN. */
  async nicsOf(attachments: readonly PortAttachment[]): Promise<Nic[]> {
    const nics: Nic[] = [];
    for (const a of attachments) {
      const addressing = await addressingOf(this.executor, a.networkId, a.ip);
      if (!addressing) throw new DriverError('invalid', 'spawn', `network ${a.networkId} (or the subnet of ${a.ip}) vanished`);
      nics.push({ portId: a.portId, mac: a.mac, ip: a.ip, prefix: addressing.prefix, gateway: addressing.gateway, vlan: addressing.segment.vlan });
    }
    return nics;
  }

  /**
   * Plugs the ports on the host's switch with their rules, once the guest is started (paused): a
   * started guest has a new tap, which a switch can only take once it exists (see the OVS driver).
   */
  async plug(host: HostRef, instanceId: string, attachments: readonly PortAttachment[], securityGroups: readonly string[]): Promise<void> {
    const sw = this.switches.switch(host);
    const rules = await this.rules.forGroups(securityGroups);
    for (const a of attachments) {
      const network = await segmentOf(this.executor, a.networkId);
      if (!network) throw new DriverError('invalid', 'plug', `network ${a.networkId} vanished`);
      await plugPortAsRecorded(sw, network, { portId: a.portId, mac: a.mac, ip: a.ip, instanceId }, rules);
    }
  }

  async unplug(host: HostRef, portIds: readonly string[]): Promise<void> {
    const sw = this.switches.switch(host);
    for (const portId of portIds) await sw.unplugPort(portId);
  }

  /** Records the ports bound to the instance on its host (active); the routers of their networks come to the host. */
  async bind(attachments: readonly PortAttachment[], instanceId: string, hostId: string, ctx: CommandContext): Promise<void> {
    for (const a of attachments) {
      await this.executor.execute(portDecider, portStream(a.portId), { type: 'BindPort', instanceId, hostId, now: this.executor.now() }, ctx, NO_WAIT);
    }
    await this.routers.portsBound(
      hostId,
      attachments.map((a) => a.networkId),
    );
  }

  /** Floating IPs stay with the project (as in Neutron); only their mapping to the instance goes. */
  /** Gives ports these security groups (their switches get the rules from the security-group worker). */
  async setSecurityGroups(portIds: readonly string[], securityGroups: readonly string[], ctx: CommandContext): Promise<void> {
    for (const portId of portIds) {
      await this.executor.execute(
        portDecider,
        portStream(portId),
        { type: 'ChangeSecurityGroups', securityGroups: [...securityGroups], now: this.executor.now() },
        ctx,
      );
    }
  }

  async unmapFloatingIps(instanceId: string, ctx: CommandContext): Promise<void> {
    for (const fip of await this.networks.floatingIpsOf({ instanceId })) {
      if (fip.portId) await this.nat.apply(fip.portId, null);
      await this.executor.execute(floatingIpDecider, floatingIpStream(fip.id), { type: 'Disassociate', now: this.executor.now() }, ctx, NO_WAIT);
    }
  }

  /**
   * Deletes the instance's ports and gives their addresses back (a network deleted meanwhile has
   * nothing to give back); a port made beforehand is only let go, with its address.
   */
  async release(instanceId: string, requests: readonly Pick<PortRequest, 'portId' | 'networkId' | 'existing'>[], ctx: CommandContext): Promise<void> {
    for (const { portId, networkId, existing } of requests) {
      if (existing) {
        await this.executor.execute(portDecider, portStream(portId), { type: 'DetachPort', instanceId, now: this.executor.now() }, ctx, NO_WAIT);
        continue;
      }
      await this.executor.execute(portDecider, portStream(portId), { type: 'DeletePort', now: this.executor.now() }, ctx, NO_WAIT);
      try {
        await this.executor.execute(networkDecider, networkStream(networkId), { type: 'ReleaseIp', portId, now: this.executor.now() }, ctx, NO_WAIT);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'NetworkNotFound')) throw error;
      }
    }
  }
}
