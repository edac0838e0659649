import { Inject, Injectable } from '@nestjs/common';
import { NetworkState, networkDecider, networkStream } from '../../domain/network/network/network.decider';
import { parseIp } from '../../domain/network/network/ipv4';
import { containsAddress } from '../../domain/network/network/subnet';
import { conflict, invalid, refused } from '../../domain/shared/domain-error';
import { CLOCK, Clock } from '../ports/clock.port';
import { CommandExecutor } from '../shared/command-executor';
import { RecentLookups } from '../shared/recent-lookups';
import { NETWORK_READ_MODEL, NetworkReadModel, NetworkView } from './ports/network-read-model.port';

/** How long a network found by a launch is taken as found (see RecentLookups). */
const LOOKUP_TTL_MS = 1_000;

/** A network by id or name (maybe with a fixed address), or a port made beforehand by id. */
export type NetworkRequest = { network: string; ip?: string } | { port: string };
export type ResolvedNetwork = { networkId: string; ip?: string; portId?: string };

/** Networks and security groups as a launch names them, and whether a network still stands. */
@Injectable()
export class NetworkDirectory {
  // Every launch names its networks: found ones are kept for a second.
  private readonly recent = new RecentLookups<NetworkView>(LOOKUP_TTL_MS, () => this.clock.now().getTime());

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Networks by id or name in the project (422 NetworkNotFound); a fixed address must be
   * assignable and asked for one instance only (400). `field` names the request's fields in errors.
   */
  async resolveForLaunch(requested: readonly NetworkRequest[], projectId: string, maxCount: number): Promise<ResolvedNetwork[]> {
    const resolved: ResolvedNetwork[] = [];
    for (const [i, n] of requested.entries()) {
      if ('port' in n) {
        resolved.push(await this.freePort(n.port, projectId, maxCount, `networks.${i}.port`));
        continue;
      }
      const network = await this.recent.get(
        `${projectId}/${n.network}`,
        () => this.networks.getNetwork(n.network, projectId),
        async (net) => (await this.executor.load(networkDecider, networkStream(net.id), { cached: true })).state.status === 'active',
      );
      if (!network) throw refused('NetworkNotFound', `No network "${n.network}" in this project`, [{ field: `networks.${i}.network`, message: 'unknown' }]);
      if (n.ip !== undefined) {
        if (maxCount > 1)
          throw invalid('FixedIpForManyInstances', 'A fixed address can only be requested for a single instance', [
            { field: `networks.${i}.ip`, message: 'maxCount > 1' },
          ]);
        const ip = parseIp(n.ip);
        const subnet = ip === null ? undefined : network.subnets.find((s) => containsAddress(s, ip));
        if (!subnet || n.ip === subnet.gateway) {
          const cidrs = network.subnets.map((s) => s.cidr).join(', ') || 'no subnet';
          throw invalid('InvalidIp', `${n.ip} is not an assignable address of ${network.name} (${cidrs})`, [
            { field: `networks.${i}.ip`, message: 'not assignable' },
          ]);
        }
      }
      if (resolved.some((r) => r.networkId === network.id && r.ip !== undefined && r.ip === n.ip)) {
        throw invalid('DuplicateIp', `${n.ip} is requested twice`, [{ field: `networks.${i}.ip`, message: 'duplicate' }]);
      }
      resolved.push({ networkId: network.id, ...(n.ip !== undefined ? { ip: n.ip } : {}) });
    }
    return resolved;
  }

  /** A port of the project that no instance or router holds (422 PortNotFound, 409 PortInUse; one instance only: 400). */
  private async freePort(portId: string, projectId: string, maxCount: number, field: string): Promise<ResolvedNetwork> {
    if (maxCount > 1) throw invalid('PortForManyInstances', 'A port can only be given to a single instance', [{ field, message: 'maxCount > 1' }]);
    const port = await this.networks.getPort(portId);
    if (!port || port.projectId !== projectId) throw refused('PortNotFound', `No port "${portId}" in this project`, [{ field, message: 'unknown' }]);
    if (port.instanceId || port.router) throw conflict('PortInUse', `Port ${portId} is in use by ${port.instanceId ?? 'a router'}`);
    return { networkId: port.networkId, ip: port.ip, portId: port.id };
  }

  /** Security groups by id or name in the project, each once (422 SecurityGroupNotFound). */
  async resolveSecurityGroups(requested: readonly string[], projectId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, idOrName] of requested.entries()) {
      const group = await this.networks.getSecurityGroup(idOrName, projectId);
      if (!group)
        throw refused('SecurityGroupNotFound', `No security group "${idOrName}" in this project`, [{ field: `securityGroups.${i}`, message: 'unknown' }]);
      if (!ids.includes(group.id)) ids.push(group.id);
    }
    return ids;
  }

  /** Whether the network stands, from its stream (a cached state behind another process must not make a live network's segment an orphan). */
  async isLive(networkId: string): Promise<boolean> {
    const live = (s: NetworkState) => s.status === 'active';
    return live(await this.executor.loadConfirmed(networkDecider, networkStream(networkId), live));
  }
}
