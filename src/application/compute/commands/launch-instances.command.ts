import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { instanceDecider, instanceStream, NetworkRequest } from '../../../domain/compute/instance/instance.decider';
import { operationDecider, operationStream } from '../../../domain/compute/operation/operation.decider';
import { ProjectState, projectDecider, projectStream } from '../../../domain/identity/project/project.decider';
import { QUOTA_RESOURCES, UNLIMITED } from '../../../domain/identity/quota/quota';
import { networkDecider, networkLayout, networkStream } from '../../../domain/network/network/network.decider';
import { flavorDecider, flavorStream } from '../../../domain/compute/flavor/flavor.decider';
import { imageDecider, imageStream } from '../../../domain/compute/image/image.decider';
import { isHostAddress, parseCidr, parseIp } from '../../../domain/network/network/ipv4';
import { invalid, refused } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { assertCanWrite } from '../../identity/access';
import { NETWORK_READ_MODEL, NetworkReadModel, NetworkView } from '../../network/ports/network-read-model.port';
import { CLOCK, Clock } from '../../ports/clock.port';
import { RecentLookups } from '../../shared/recent-lookups';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel, FlavorView, ImageView } from '../ports/compute-read-model.port';

export const MAX_INSTANCES_PER_REQUEST = 1000;

export type LaunchRequest = {
  name: string;
  flavor: string;
  image: string;
  networks: Array<{ network: string; ip?: string }>;
  keyName?: string;
  userData?: string;
  securityGroups?: string[];
  zone?: string;
  minCount?: number;
  maxCount?: number;
};

export class LaunchInstances {
  constructor(
    readonly request: LaunchRequest,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

export type LaunchAccepted = { operation: { id: string; status: 'running'; kind: 'launch' }; instances: Array<{ id: string; name: string; state: 'pending' }> };

/**
 * Validates a launch against the catalog, reserves the quota of as many instances as fit (between
 * minCount and maxCount; all-or-nothing in one append, so concurrent launches cannot overshoot),
 * records the operation and one InstanceRequested per instance, and answers at once. The
 * provisioning worker takes it from there.
 */
/** How long a flavor, image or network found by a launch is taken as found (see RecentLookups). */
const LOOKUP_TTL_MS = 1_000;

@CommandHandler(LaunchInstances)
export class LaunchInstancesHandler implements ICommandHandler<LaunchInstances, LaunchAccepted> {
  // Every launch names a flavor, an image and networks: found ones are kept for a second.
  private readonly flavors = new RecentLookups<FlavorView>(LOOKUP_TTL_MS, () => this.clock.now().getTime());
  private readonly images = new RecentLookups<ImageView>(LOOKUP_TTL_MS, () => this.clock.now().getTime());
  private readonly recentNetworks = new RecentLookups<NetworkView>(LOOKUP_TTL_MS, () => this.clock.now().getTime());

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ request, principal, requestId }: LaunchInstances): Promise<LaunchAccepted> {
    assertCanWrite(principal);
    const projectId = principal.projectId;
    const minCount = request.minCount ?? 1;
    const maxCount = request.maxCount ?? Math.max(minCount, 1);
    if (minCount > maxCount) throw invalid('InvalidCount', 'minCount must not exceed maxCount', [{ field: 'minCount', message: 'greater than maxCount' }]);

    const [flavor, image] = await Promise.all([
      this.flavors.get(
        request.flavor,
        () => this.compute.getFlavor(request.flavor),
        (f) => this.isLive(this.executor.load(flavorDecider, flavorStream(f.id), { cached: true })),
      ),
      this.images.get(
        request.image,
        () => this.compute.getImage(request.image),
        (i) => this.isLive(this.executor.load(imageDecider, imageStream(i.id), { cached: true })),
      ),
    ]);
    if (!flavor) throw refused('FlavorNotFound', `No flavor "${request.flavor}"`, [{ field: 'flavor', message: 'unknown' }]);
    if (!image) throw refused('ImageNotFound', `No image "${request.image}"`, [{ field: 'image', message: 'unknown' }]);
    if (flavor.diskGiB > 0 && flavor.diskGiB < image.minDiskGiB) {
      throw refused('FlavorDiskTooSmall', `Image ${image.name} needs ${image.minDiskGiB} GiB; flavor ${flavor.name} has ${flavor.diskGiB}`);
    }
    if (request.keyName && !(await this.compute.getKeyPair(projectId, request.keyName))) {
      throw refused('KeyPairNotFound', `No key pair "${request.keyName}" in this project`, [{ field: 'keyName', message: 'unknown' }]);
    }
    const securityGroups = await this.resolveSecurityGroups(request.securityGroups ?? [], projectId);
    if (request.zone) {
      const hosts = (await this.compute.listHosts({ limit: 1000, cursor: null })).items;
      if (!hosts.some((h) => h.zone === request.zone))
        throw refused('ZoneNotFound', `No availability zone "${request.zone}"`, [{ field: 'zone', message: 'unknown' }]);
    }
    const networks = await this.resolveNetworks(request, projectId, maxCount);

    const operationId = this.ids.next('op');
    const perInstance = { instances: 1, vcpus: flavor.vcpus, ramMiB: flavor.ramMiB };
    const candidateIds = Array.from({ length: maxCount }, () => this.ids.next('inst'));
    const ctx = { ...contextOf(principal, requestId), projectId, correlationId: operationId };
    const reserved = await this.executor.execute(
      projectDecider,
      projectStream(projectId),
      (state: ProjectState) => {
        // As many as fit; fewer than minCount fitting means asking for minCount, which the project refuses (422 QuotaExceeded).
        const count = Math.max(minCount, Math.min(maxCount, instancesThatFit(state, perInstance)));
        return {
          type: 'ReserveQuotaBatch' as const,
          reservations: candidateIds.slice(0, count).map((reservationId) => ({ reservationId, amounts: perInstance })),
          now: this.executor.now(),
        };
      },
      ctx,
      { waitForReadModels: false },
    );
    const instanceIds = reserved.events.map((e) => (e.data as { reservationId: string }).reservationId);

    const names = instanceIds.map((_, i) => (instanceIds.length > 1 ? `${request.name}-${i + 1}` : request.name));
    // The operation and the instances go out together (one group commit). The answer does not wait
    // for the read models: the operation and each instance are readable from their streams at once.
    await Promise.all([
      this.executor.execute(
        operationDecider,
        operationStream(operationId),
        { type: 'StartOperation', operationId, projectId, kind: 'launch', instanceIds, now: this.executor.now() },
        ctx,
        { waitForReadModels: false, newStream: true },
      ),
      ...instanceIds.map((instanceId, i) =>
        this.executor.execute(
          instanceDecider,
          instanceStream(instanceId),
          {
            type: 'RequestLaunch',
            instanceId,
            projectId,
            name: names[i],
            flavor: { flavorId: flavor.id, vcpus: flavor.vcpus, ramMiB: flavor.ramMiB, diskGiB: flavor.diskGiB },
            imageId: image.id,
            networks,
            keyName: request.keyName ?? null,
            userData: request.userData ?? null,
            securityGroups,
            zone: request.zone ?? null,
            operationId,
            now: this.executor.now(),
          },
          { ...ctx, causationId: operationId },
          { waitForReadModels: false, newStream: true },
        ),
      ),
    ]);
    return {
      operation: { id: operationId, status: 'running', kind: 'launch' },
      instances: instanceIds.map((id, i) => ({ id, name: names[i], state: 'pending' as const })),
    };
  }

  /** Groups by id or name in the project, each once. */
  private async resolveSecurityGroups(requested: string[], projectId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, idOrName] of requested.entries()) {
      const group = await this.networks.getSecurityGroup(idOrName, projectId);
      if (!group)
        throw refused('SecurityGroupNotFound', `No security group "${idOrName}" in this project`, [{ field: `securityGroups.${i}`, message: 'unknown' }]);
      if (!ids.includes(group.id)) ids.push(group.id);
    }
    return ids;
  }

  /** Whether an aggregate is active, as this process last knew it (see RecentLookups). */
  private async isLive(loading: Promise<{ state: { status: string } }>): Promise<boolean> {
    return (await loading).state.status === 'active';
  }

  /** Networks by id or name in the project; a fixed address must be assignable and asked for one instance only. */
  private async resolveNetworks(request: LaunchRequest, projectId: string, maxCount: number): Promise<NetworkRequest[]> {
    const resolved: NetworkRequest[] = [];
    for (const [i, n] of request.networks.entries()) {
      const network = await this.recentNetworks.get(
        `${projectId}/${n.network}`,
        () => this.networks.getNetwork(n.network, projectId),
        (net) => this.isLive(this.executor.load(networkDecider, networkStream(net.id), { cached: true })),
      );
      if (!network) throw refused('NetworkNotFound', `No network "${n.network}" in this project`, [{ field: `networks.${i}.network`, message: 'unknown' }]);
      if (n.ip !== undefined) {
        if (maxCount > 1)
          throw invalid('FixedIpForManyInstances', 'A fixed address can only be requested for a single instance', [
            { field: `networks.${i}.ip`, message: 'maxCount > 1' },
          ]);
        const { cidr, gateway } = networkLayout(network.cidr, network.gateway);
        const ip = parseIp(n.ip);
        if (ip === null || !isHostAddress(parseCidr(cidr), ip) || n.ip === gateway) {
          throw invalid('InvalidIp', `${n.ip} is not an assignable address of ${network.name} (${network.cidr})`, [
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
}

/** How many instances of this size the project's remaining quota holds. */
function instancesThatFit(state: ProjectState, per: Record<'instances' | 'vcpus' | 'ramMiB', number>): number {
  if (state.status !== 'active') return 0;
  let fit = Number.MAX_SAFE_INTEGER;
  for (const r of QUOTA_RESOURCES) {
    const need = (per as Partial<Record<string, number>>)[r] ?? 0;
    if (need === 0 || state.quotas[r] === UNLIMITED) continue;
    fit = Math.min(fit, Math.floor(Math.max(0, state.quotas[r] - state.usage[r]) / need));
  }
  return fit;
}
