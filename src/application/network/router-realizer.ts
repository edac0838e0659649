import { Inject, Injectable } from '@nestjs/common';
import { routerDecider, routerStream } from '../../domain/network/router/router.decider';
import { DomainError } from '../../domain/shared/domain-error';
import { HostDirectory } from '../compute/public';
import { AppLogger, LOGGER } from '../ports/logger.port';
import { CommandContext } from '../shared/command-context';
import { CommandExecutor } from '../shared/command-executor';
import { DriverError } from '../shared/driver-error';
import { FloatingIpNat } from './floating-ip-nat';
import { POOL_NETWORK_ID, poolNetwork } from './floating-pool';
import { NetworkSegment, segmentOf } from './network-segment';
import { NETWORK_SETTINGS, NetworkSettings } from './network.settings';
import { NETWORK_READ_MODEL, NetworkReadModel, NetworkView, RouterView } from './ports/network-read-model.port';
import { RouterLegSpec, RouterSpec, SwitchDriver } from './ports/switch-driver.port';
import { SWITCHES, SwitchDrivers } from './ports/switch-drivers.port';

const sameLegs = (a: readonly RouterLegSpec[], b: readonly RouterLegSpec[]) => {
  const key = (legs: readonly RouterLegSpec[]) => JSON.stringify([...legs].map((l) => [l.portId, l.kind, l.vlan, l.address]).sort());
  return key(a) === key(b);
};
const sameRouter = (a: RouterSpec, b: RouterSpec) => sameLegs(a.legs, b.legs) && a.upstream === b.upstream;

/**
 * Routers on hosts: a host runs every router that has an interface on a network one of the host's
 * bound ports is on (the hosts' bridges are not joined, so each runs the routers its guests need).
 * Before a router takes a subnet's gateway address the network's own gateway port gives it up, and
 * takes it back only after the router let it go, so the address never answers twice.
 */
@Injectable()
export class RouterRealizer {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly hosts: HostDirectory,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
    @Inject(SWITCHES) private readonly switches: SwitchDrivers,
    @Inject(NETWORK_SETTINGS) private readonly settings: NetworkSettings,
    @Inject(LOGGER) private readonly log: AppLogger,
    private readonly nat: FloatingIpNat,
  ) {}

  /**
   * After a router changed: every host that runs it (or ran it, for a deleted one) is brought in
   * line now, and the floating IPs of the ports behind it mapped anew; a failure is left to the reconciler.
   */
  async routerChanged(routerId: string, networkIds: readonly string[]): Promise<void> {
    const ports = await this.portsOn(networkIds);
    for (const hostId of new Set(ports.flatMap((p) => (p.host ? [p.host] : [])))) await this.realizeNow(hostId, routerId, []);
    for (const fip of await this.networks.floatingIpsOf({ portIds: ports.map((p) => p.id) })) if (fip.portId) await this.nat.apply(fip.portId, fip.address);
  }

  /** After an instance's ports were bound on a host (the read model may not show them yet): the routers of their networks come. */
  async portsBound(hostId: string, networkIds: readonly string[]): Promise<void> {
    await this.realizeNow(hostId, null, networkIds);
  }

  /**
   * The reconciler's pass: every router the host should run made so (a router found different is
   * repaired and the repair recorded); returns the routers present that it should not run (orphans).
   */
  async reconcile(host: { id: string; name: string }, sw: SwitchDriver, ctx: CommandContext): Promise<string[]> {
    const desired = await this.desiredOn(host.id);
    const actual = new Map((await sw.listRouters()).map((r) => [r.routerId, r]));
    await this.apply(sw, desired, actual, async (router, found) => {
      const detail = `${host.name} had ${found.legs.length} leg(s) and upstream ${found.upstream ?? 'none'}; the books say ${router.legs.length} and ${router.upstream ?? 'none'}`;
      this.log.warnWith('router repaired', { routerId: router.routerId, host: host.name, detail });
      await this.executor
        .execute(routerDecider, routerStream(router.routerId), { type: 'RecordRepaired', hostId: host.id, detail, now: this.executor.now() }, ctx, {
          waitForReadModels: false,
        })
        .catch((error) => {
          if (!(error instanceof DomainError)) throw error; // deleted meanwhile: the next pass removes it as an orphan
        });
    });
    const wanted = new Set(desired.routers.map((r) => r.routerId));
    return [...actual.keys()].filter((id) => !wanted.has(id));
  }

  private async realizeNow(hostId: string, deletedRouter: string | null, alsoOn: readonly string[]): Promise<void> {
    const host = await this.hosts.drivenRef(hostId);
    if (!host) return;
    const sw = this.switches.switch(host);
    try {
      const desired = await this.desiredOn(hostId, alsoOn);
      const actual = new Map((await sw.listRouters()).map((r) => [r.routerId, r]));
      await this.apply(sw, desired, actual, async () => undefined);
      if (deletedRouter && actual.has(deletedRouter) && !desired.routers.some((r) => r.routerId === deletedRouter)) await sw.removeRouter(deletedRouter);
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      this.log.warnWith('routers not brought in line; the reconciler will', { hostId: host.hostId, error: error.message });
    }
  }

  private async apply(
    sw: SwitchDriver,
    desired: { routers: RouterSpec[]; segments: NetworkSegment[] },
    actual: ReadonlyMap<string, RouterSpec>,
    repaired: (router: RouterSpec, found: RouterSpec) => Promise<void>,
  ): Promise<void> {
    const ensureSegment = (s: NetworkSegment) => sw.ensureSegment({ networkId: s.id, vlan: s.vlan, cidr: s.cidr, gateway: s.gateway });
    for (const segment of desired.segments.filter((s) => s.gateway === null)) await ensureSegment(segment);
    for (const router of desired.routers) {
      const found = actual.get(router.routerId);
      if (found && sameRouter(found, router)) continue;
      await sw.ensureRouter(router);
      if (found) await repaired(router, found);
    }
    for (const segment of desired.segments.filter((s) => s.gateway !== null)) await ensureSegment(segment);
  }

  /** The routers a host should run, and the segments of the networks its ports are on (their gateway ports give way to routers). */
  private async desiredOn(hostId: string, alsoOn: readonly string[] = []): Promise<{ routers: RouterSpec[]; segments: NetworkSegment[] }> {
    const bound = (await this.networks.listPortsOnHost(hostId)).filter((p) => p.instanceId).map((p) => p.networkId);
    const networkIds = [...new Set([...bound, ...alsoOn])];
    const segments = (await Promise.all(networkIds.map((id) => segmentOf(this.executor, id)))).filter((s): s is NetworkSegment => s !== null);
    const routers: RouterSpec[] = [];
    for (const router of await this.networks.routersOnNetworks(networkIds)) routers.push(await this.specOf(router));
    return { routers, segments };
  }

  async specOf(router: RouterView): Promise<RouterSpec> {
    const legs: RouterLegSpec[] = [];
    for (const leg of router.interfaces) {
      const network = await this.networks.getNetwork(leg.networkId, null);
      const subnet = network?.subnets.find((s) => s.subnetId === leg.subnetId);
      if (network && subnet) legs.push({ portId: leg.portId, kind: 'interface', vlan: network.vlan, address: `${leg.ip}/${subnet.cidr.split('/')[1]}` });
    }
    let upstream: string | null = null;
    if (router.gateway) {
      const external = await this.externalNetwork(router.gateway.networkId);
      const subnet = external?.subnets[0];
      if (external && subnet) {
        const vlan = external.id === POOL_NETWORK_ID ? this.settings.externalVlan : external.vlan;
        legs.push({ portId: router.gateway.portId, kind: 'gateway', vlan, address: `${router.gateway.ip}/${subnet.cidr.split('/')[1]}` });
        upstream = subnet.gateway;
      }
    }
    return { routerId: router.id, legs, upstream };
  }

  private async externalNetwork(networkId: string): Promise<NetworkView | null> {
    return networkId === POOL_NETWORK_ID ? poolNetwork(this.settings.floatingIpPool) : this.networks.getNetwork(networkId, null);
  }

  private async portsOn(networkIds: readonly string[]) {
    return (await this.networks.listPortsOnNetworks(networkIds)).filter((p) => p.instanceId);
  }
}
