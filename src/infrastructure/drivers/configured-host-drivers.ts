import { HostRef } from '../../application/compute/ports/hypervisor-drivers.port';
import { HostDrivers } from './host-drivers';
import { HypervisorDriver } from '../../application/compute/ports/hypervisor-driver.port';
import { SwitchDriver } from '../../application/network/ports/switch-driver.port';
import { BlockStorageDriver } from '../../application/storage/ports/block-storage-driver.port';
import { DriverError } from '../../application/shared/driver-error';
import { Config } from '../config/config';
import { LibvirtHypervisor } from '../hypervisor/libvirt/libvirt-hypervisor';
import { SimulatedHostDrivers } from '../simulation/simulated-host-drivers';
import { PoolBlockStorage } from '../storage/libvirt-pool/pool-block-storage';
import { OvsSwitch } from '../switch/ovs/ovs-switch';

/**
 * Each host's drivers by the kind it was registered with: simulated ones (zero setup), or libvirt
 * with the host's URI and this machine's Open vSwitch bridge (a host elsewhere runs its own agent,
 * `npm run agent`, with its own switch). One block storage for all, chosen by ORCH_BLOCK_STORAGE.
 */
export class ConfiguredHostDrivers implements HostDrivers {
  private readonly hypervisors = new Map<string, LibvirtHypervisor>();
  private readonly ovs: OvsSwitch;
  private readonly pool: PoolBlockStorage | null;

  constructor(
    private readonly simulated: SimulatedHostDrivers,
    private readonly config: Pick<Config, 'blockStorage' | 'libvirtStateDir' | 'libvirtDomainType' | 'volumeDir' | 'volumePool' | 'volumeUri' | 'ovsBridge'>,
  ) {
    this.ovs = new OvsSwitch({ bridge: config.ovsBridge });
    this.pool = config.blockStorage === 'libvirt' ? new PoolBlockStorage({ uri: config.volumeUri, dir: config.volumeDir, pool: config.volumePool }) : null;
  }

  hypervisor(host: HostRef): HypervisorDriver {
    if (host.driver === 'simulated') return this.simulated.hypervisor(host);
    const uri = host.uri ?? 'qemu:///system';
    let driver = this.hypervisors.get(uri);
    if (!driver) {
      if (!this.pool) throw new DriverError('invalid', 'connect', 'libvirt hosts need ORCH_BLOCK_STORAGE=libvirt (their root disks are pool volumes)');
      driver = new LibvirtHypervisor({
        uri,
        stateDir: this.config.libvirtStateDir,
        volumeDir: this.config.volumeDir,
        domainType: this.config.libvirtDomainType,
      });
      this.hypervisors.set(uri, driver);
    }
    return driver;
  }

  switch(host: HostRef): SwitchDriver {
    return host.driver === 'simulated' ? this.simulated.switch(host) : this.ovs;
  }

  storage(): BlockStorageDriver {
    return this.pool ?? this.simulated.storage();
  }

  /** Stops the lifecycle watchers (long-running virsh processes); Nest calls it on shutdown. */
  onApplicationShutdown(): void {
    for (const driver of this.hypervisors.values()) driver.close();
  }
}
