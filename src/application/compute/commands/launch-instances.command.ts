import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { instanceDecider, instanceStream, NetworkRequest } from '../../../domain/compute/instance/instance.decider';
import { operationDecider, operationStream } from '../../../domain/compute/operation/operation.decider';
import { ProjectState, projectDecider, projectStream } from '../../../domain/identity/project/project.decider';
import { QUOTA_RESOURCES, UNLIMITED } from '../../../domain/identity/quota/quota';
import { networkLayout } from '../../../domain/network/network/network.decider';
import { isHostAddress, parseCidr, parseIp } from '../../../domain/network/network/ipv4';
import { invalid, refused } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../event-sourcing/command-executor';
import { assertCanWrite } from '../../identity/access';
import { NETWORK_READ_MODEL, NetworkReadModel } from '../../network/network-read-model.port';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../../ports/read-model-progress.port';
import { Principal, contextOf } from '../../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../compute-read-model.port';

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
@CommandHandler(LaunchInstances)
export class LaunchInstancesHandler implements ICommandHandler<LaunchInstances, LaunchAccepted> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
  ) {}

  async execute({ request, principal, requestId }: LaunchInstances): Promise<LaunchAccepted> {
    assertCanWrite(principal);
    const projectId = principal.projectId;
    const minCount = request.minCount ?? 1;
    const maxCount = request.maxCount ?? Math.max(minCount, 1);
    if (minCount > maxCount) throw invalid('InvalidCount', 'minCount must not exceed maxCount', [{ field: 'minCount', message: 'greater than maxCount' }]);

    const flavor = await this.compute.getFlavor(request.flavor);
    if (!flavor) throw refused('FlavorNotFound', `No flavor "${request.flavor}"`, [{ field: 'flavor', message: 'unknown' }]);
    const image = await this.compute.getImage(request.image);
    if (!image) throw refused('ImageNotFound', `No image "${request.image}"`, [{ field: 'image', message: 'unknown' }]);
    if (flavor.diskGiB > 0 && flavor.diskGiB < image.minDiskGiB) {
      throw refused('FlavorDiskTooSmall', `Image ${image.name} needs ${image.minDiskGiB} GiB; flavor ${flavor.name} has ${flavor.diskGiB}`);
    }
    if (request.keyName && !(await this.compute.getKeyPair(projectId, request.keyName))) {
      throw refused('KeyPairNotFound', `No key pair "${request.keyName}" in this project`, [{ field: 'keyName', message: 'unknown' }]);
    }
    if ((request.securityGroups ?? []).length > 0) {
      throw refused('SecurityGroupsUnavailable', 'Security groups are not available yet; launch without securityGroups');
    }
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

    await this.executor.execute(
      operationDecider,
      operationStream(operationId),
      { type: 'StartOperation', operationId, projectId, kind: 'launch', instanceIds, now: this.executor.now() },
      ctx,
      { waitForReadModels: false },
    );
    const names = instanceIds.map((_, i) => (instanceIds.length > 1 ? `${request.name}-${i + 1}` : request.name));
    const appended = await Promise.all(
      instanceIds.map((instanceId, i) =>
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
            securityGroups: [],
            zone: request.zone ?? null,
            operationId,
            now: this.executor.now(),
          },
          { ...ctx, causationId: operationId },
          { waitForReadModels: false },
        ),
      ),
    );
    // Brief: the answer must not wait on a busy read side; the operation is readable from its stream meanwhile.
    await this.progress.waitFor(Math.max(0, ...appended.map((a) => a.position)), 50);
    return {
      operation: { id: operationId, status: 'running', kind: 'launch' },
      instances: instanceIds.map((id, i) => ({ id, name: names[i], state: 'pending' as const })),
    };
  }

  /** Networks by id or name in the project; a fixed address must be assignable and asked for one instance only. */
  private async resolveNetworks(request: LaunchRequest, projectId: string, maxCount: number): Promise<NetworkRequest[]> {
    const resolved: NetworkRequest[] = [];
    for (const [i, n] of request.networks.entries()) {
      const network = await this.networks.getNetwork(n.network, projectId);
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
