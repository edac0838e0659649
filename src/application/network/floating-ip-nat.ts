import { Inject, Injectable } from '@nestjs/common';
import { parseIp } from '../../domain/network/network/ipv4';
import { containsAddress } from '../../domain/network/network/subnet';
import { HostDirectory } from '../compute/public';
import { AppLogger, LOGGER } from '../ports/logger.port';
import { DriverError } from '../shared/driver-error';
import { NETWORK_READ_MODEL, NetworkReadModel, PortView } from './ports/network-read-model.port';
import { FloatingNat } from './ports/switch-driver.port';
import { SWITCHES, SwitchDrivers } from './ports/switch-drivers.port';

/** The one place that maps floating IPs on a host's switch: through the router that joins the port's subnet to an external network. */
@Injectable()
export class FloatingIpNat {
  constructor(
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
    private readonly hosts: HostDirectory,
    @Inject(SWITCHES) private readonly switches: SwitchDrivers,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  /**
   * Sets (or clears) the NAT on the port's host; a host that cannot be reached now is left to the
   * reconciler, a host a standalone agent drives to the agent (which reconciles on the change).
   */
  async apply(portId: string, address: string | null): Promise<void> {
    const port = await this.networks.getPort(portId);
    const host = await this.hosts.drivenRef(port?.host ?? null);
    if (!host || !port) return;
    try {
      await this.switches.switch(host).setFloatingIp(portId, await this.natFor(port, address));
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      this.log.warnWith('floating IP not applied; the reconciler will', { portId, hostId: host.hostId, error: error.message });
    }
  }

  /** The mapping the books give the port: its floating IP to its address, in the router serving its subnet (if one does, with a gateway). */
  async natFor(port: PortView, address: string | null): Promise<FloatingNat | null> {
    if (address === null) return null;
    const network = await this.networks.getNetwork(port.networkId, null);
    const ip = parseIp(port.ip);
    const subnet = ip === null ? undefined : network?.subnets.find((s) => containsAddress(s, ip));
    const routers = subnet ? await this.networks.routersOnNetworks([port.networkId]) : [];
    const router = routers.find((r) => r.gateway && r.interfaces.some((i) => i.subnetId === subnet?.subnetId));
    return { floatingIp: address, fixedIp: port.ip, routerId: router?.id ?? null };
  }
}
