import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '../shared/command-context';
import { HostDirectory } from './host-directory';
import { InstanceQueries } from './instance.queries';
import { HYPERVISORS, HypervisorDrivers } from './ports/hypervisor-drivers.port';

/** EC2's GetConsoleOutput gives at most the last 64 KiB. */
export const CONSOLE_OUTPUT_MAX_BYTES = 64 * 1024;

/**
 * An instance's serial console, read from its host's hypervisor: what the guest printed, the most
 * recent part. Empty when this process does not drive the host (a compute agent does) or the
 * instance is not placed.
 */
@Injectable()
export class InstanceConsole {
  constructor(
    private readonly instances: InstanceQueries,
    private readonly hosts: HostDirectory,
    @Inject(HYPERVISORS) private readonly hypervisors: HypervisorDrivers,
  ) {}

  async output(p: Principal, instanceId: string): Promise<{ output: string; instanceId: string }> {
    const instance = await this.instances.getInstance(p, instanceId);
    const host = await this.hosts.drivenRef(instance.host);
    const output = host ? await this.hypervisors.hypervisor(host).consoleOutput(instanceId, CONSOLE_OUTPUT_MAX_BYTES) : '';
    return { output, instanceId };
  }
}
