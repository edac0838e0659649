import { Inject, Injectable } from '@nestjs/common';
import { InstanceState, instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { NetworkDirectory, PortRepairer, RouterRealizer, SWITCHES, SwitchDrivers } from '../../network/public';
import { CommandExecutor } from '../../shared/command-executor';
import { StorageInventory } from '../../storage/public';
import { HostView } from '../ports/compute-read-model.port';
import { HYPERVISORS, HypervisorDrivers, hostRef } from '../ports/hypervisor-drivers.port';
import { INSTANCE_READ_MODEL, InstanceReadModel } from '../ports/instance-read-model.port';
import { portsOf } from '../provisioning/derived-ids';
import { InstanceDrift } from './instance-drift';
import { OrphanSweep } from './orphan-sweep';
import { BLOCK_STORAGE_KEY } from './reconciler.settings';
import { reconcilerContext } from './reconciler-context';

/**
 * One reconciliation of a host: its actual domains and switch ports against the instances placed
 * there (drift, lost domains, orphan domains, ports and segments, ports to repair); or of the
 * block storage: volumes and snapshots no volume stream accounts for.
 */
@Injectable()
export class HostPass {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly drift: InstanceDrift,
    private readonly orphans: OrphanSweep,
    private readonly ports: PortRepairer,
    private readonly networks: NetworkDirectory,
    private readonly routers: RouterRealizer,
    private readonly storage: StorageInventory,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
    @Inject(HYPERVISORS) private readonly hypervisors: HypervisorDrivers,
    @Inject(SWITCHES) private readonly switches: SwitchDrivers,
  ) {}

  async host(host: HostView): Promise<void> {
    const hv = this.hypervisors.hypervisor(hostRef(host));
    const sw = this.switches.switch(hostRef(host));
    const domains = await hv.list();
    const known = await this.instances.listOnHost(host.id);
    const actual = new Map(domains.map((d) => [d.instanceId, d.powerState]));
    for (const instance of known) await this.drift.reconcile(host, instance, actual.get(instance.id));

    const knownIds = new Set(known.map((i) => i.id));
    // The read model lags a launch in progress: what it does not know yet is checked on the streams.
    const unknownDomains = domains.map((d) => d.instanceId).filter((id) => !knownIds.has(id));
    const placedHere = await this.placedOn(host.id, unknownDomains);
    await this.orphans.sweep(
      host,
      'domain',
      unknownDomains.filter((id) => !placedHere.has(id)),
      async (id) => {
        await hv.destroy(id);
        await hv.undefine(id);
      },
    );
    const knownPorts = new Set(known.flatMap((i) => i.addresses.map((a) => a.portId)));
    const ports = await sw.listPorts();
    const unknownPorts = ports.filter((p) => !knownPorts.has(p.portId));
    const ownersHere = await this.placedOn(
      host.id,
      unknownPorts.flatMap((p) => (p.instanceId ? [p.instanceId] : [])),
    );
    await this.orphans.sweep(
      host,
      'port',
      unknownPorts.filter((p) => !(p.instanceId && ownersHere.get(p.instanceId)?.has(p.portId))).map((p) => p.portId),
      (id) => sw.unplugPort(id),
    );
    // A deleted network's segment (its VLAN and gateway port) goes once no live network claims it.
    const deadSegments: string[] = [];
    for (const segment of await sw.listSegments()) if (!(await this.networks.isLive(segment.networkId))) deadSegments.push(segment.networkId);
    await this.orphans.sweep(host, 'segment', deadSegments, (networkId) => sw.removeSegment(networkId));
    // Routers before ports: a router put back has lost its floating IPs, which the port pass maps again.
    const strayRouters = await this.routers.reconcile(host, sw, reconcilerContext(host.id));
    await this.orphans.sweep(host, 'router', strayRouters, (routerId) => sw.removeRouter(routerId));
    const atRest = new Set(known.filter((i) => i.taskState === null && (i.state === 'active' || i.state === 'stopped')).map((i) => i.id));
    await this.ports.repairHost(host, sw, atRest, ports, reconcilerContext(host.id));
  }

  async blockStorage(): Promise<void> {
    const unaccounted = await this.storage.unaccounted();
    await this.orphans.sweep(BLOCK_STORAGE_KEY, 'volume', unaccounted.volume, (id) => this.storage.remove('volume', id));
    await this.orphans.sweep(BLOCK_STORAGE_KEY, 'snapshot', unaccounted.snapshot, (id) => this.storage.remove('snapshot', id));
  }

  /**
   * Of these instances, those whose stream places them on the host and not deleted, with the ports
   * they own (see CommandExecutor.loadConfirmed: a stale cache must not make something an orphan).
   */
  private async placedOn(hostId: string, instanceIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const placed = new Map<string, Set<string>>();
    const here = (s: InstanceState) => s.status === 'present' && s.vmState !== 'deleted' && s.hostId === hostId;
    for (const id of new Set(instanceIds)) {
      const state = await this.executor.loadConfirmed(instanceDecider, instanceStream(id), here);
      if (state.status === 'present' && here(state)) placed.set(id, new Set(portsOf(id, state.request.networks).map((p) => p.portId)));
    }
    return placed;
  }
}
