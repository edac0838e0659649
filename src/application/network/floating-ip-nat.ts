import { Inject, Injectable } from '@nestjs/common';
import { HostDirectory } from '../compute/public';
import { AppLogger, LOGGER } from '../ports/logger.port';
import { DriverError } from '../shared/driver-error';
import { NETWORK_READ_MODEL, NetworkReadModel } from './ports/network-read-model.port';
import { SWITCHES, SwitchDrivers } from './ports/switch-drivers.port';

/** The one place that maps floating IPs on a host's switch. */
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
    if (!host) return;
    try {
      await this.switches.switch(host).setFloatingIp(portId, address);
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      this.log.warnWith('floating IP not applied; the reconciler will', { portId, hostId: host.hostId, error: error.message });
    }
  }
}
