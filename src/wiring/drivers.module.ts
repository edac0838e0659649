import { DynamicModule, Global, Module } from '@nestjs/common';
import { HYPERVISORS } from '../application/compute/ports/hypervisor-drivers.port';
import { SWITCHES } from '../application/network/ports/switch-drivers.port';
import { BLOCK_STORAGE } from '../application/storage/ports/block-storage-driver.port';
import { TRACING, Tracing } from '../application/ports/tracing.port';
import { Config } from '../infrastructure/config/config';
import { tracedDrivers } from '../infrastructure/tracing/traced-drivers';
import { ConfiguredHostDrivers } from '../infrastructure/drivers/configured-host-drivers';
import { HOST_DRIVERS, HostDrivers } from '../infrastructure/drivers/host-drivers';
import { SimulatedHostDrivers } from '../infrastructure/simulation/simulated-host-drivers';

/**
 * The edge: each host's hypervisor and switch by the driver it was registered with (simulated, or
 * libvirt with this machine's Open vSwitch), and the block storage. One set per process, bound to
 * the driver ports of Compute, Network and Storage.
 */
@Global()
@Module({})
export class DriversModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: DriversModule,
      providers: [
        {
          provide: HOST_DRIVERS,
          inject: [TRACING],
          useFactory: (tracing: Tracing) => {
            const drivers = new ConfiguredHostDrivers(new SimulatedHostDrivers({ latencyMs: config.simulatedLatencyMs }, config.simulatedStateDir), config);
            return tracing.enabled ? tracedDrivers(drivers, tracing) : drivers;
          },
        },
        { provide: HYPERVISORS, useExisting: HOST_DRIVERS },
        { provide: SWITCHES, useExisting: HOST_DRIVERS },
        { provide: BLOCK_STORAGE, inject: [HOST_DRIVERS], useFactory: (drivers: HostDrivers) => drivers.storage() },
      ],
      exports: [HOST_DRIVERS, HYPERVISORS, SWITCHES, BLOCK_STORAGE],
    };
  }
}
