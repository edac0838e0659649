import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { flavorDecider, flavorStream } from '../../../domain/compute/flavor/flavor.decider';
import { imageDecider, imageStream } from '../../../domain/compute/image/image.decider';
import { instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { NetworkRequest, RootVolumeChoice } from '../../../domain/compute/instance/instance.events';
import { InstanceDisks } from '../../storage/public';
import { tagsAfter } from '../../../domain/compute/instance/instance-details';
import { validateMetadata } from '../../../domain/shared/metadata';
import { invalid, refused } from '../../../domain/shared/domain-error';
import { QuotaLedger, assertCanWrite } from '../../identity/public';
import { NetworkDirectory } from '../../network/public';
import { CLOCK, Clock } from '../../ports/clock.port';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { RecentLookups } from '../../shared/recent-lookups';
import { Operations } from '../operations';
import { COMPUTE_READ_MODEL, ComputeReadModel, FlavorView, ImageView } from '../ports/compute-read-model.port';

export const MAX_INSTANCES_PER_REQUEST = 1000;

export type LaunchRequest = {
  name: string;
  flavor: string;
  image: string;
  /** Networks by id or name (maybe a fixed address), or ports made beforehand. */
  networks: Array<{ network: string; ip?: string } | { port: string }>;
  keyName?: string;
  userData?: string;
  securityGroups?: string[];
  zone?: string;
  metadata?: Record<string, string>;
  tags?: string[];
  minCount?: number;
  maxCount?: number;
  /** Boot from a volume: a new one made from the image (of `sizeGiB`), or an existing bootable one (`image` is then its image). */
  rootVolume?: RootVolumeChoice;
};

export class LaunchInstances {
  constructor(
    readonly request: LaunchRequest,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

export type LaunchAccepted = { operation: { id: string; status: 'running'; kind: 'launch' }; instances: Array<{ id: string; name: string; state: 'pending' }> };

/** How long a flavor or image found by a launch is taken as found (see RecentLookups). */
const LOOKUP_TTL_MS = 1_000;

/**
 * Validates a launch against the catalog, reserves the quota of as many instances as fit (between
 * minCount and maxCount; all-or-nothing in one append, so concurrent launches cannot overshoot),
 * records the operation and one InstanceRequested per instance, and answers at once. The
 * provisioning worker takes it from there.
 */
@CommandHandler(LaunchInstances)
export class LaunchInstancesHandler implements ICommandHandler<LaunchInstances, LaunchAccepted> {
  // Every launch names a flavor and an image: found ones are kept for a second.
  private readonly flavors = new RecentLookups<FlavorView>(LOOKUP_TTL_MS, () => this.clock.now().getTime());
  private readonly images = new RecentLookups<ImageView>(LOOKUP_TTL_MS, () => this.clock.now().getTime());

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    private readonly networks: NetworkDirectory,
    private readonly quota: QuotaLedger,
    private readonly operations: Operations,
    private readonly disks: InstanceDisks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ request: asked, principal, requestId }: LaunchInstances): Promise<LaunchAccepted> {
    let request = asked;
    assertCanWrite(principal);
    const projectId = principal.projectId;
    const minCount = request.minCount ?? 1;
    const maxCount = request.maxCount ?? Math.max(minCount, 1);
    // Checked before any quota is reserved (the decider checks again).
    validateMetadata(request.metadata ?? {});
    const tags = tagsAfter([], { add: request.tags ?? [], remove: [], replace: true });
    if (minCount > maxCount) throw invalid('InvalidCount', 'minCount must not exceed maxCount', [{ field: 'minCount', message: 'greater than maxCount' }]);
    const rootVolume = request.rootVolume;
    const size = rootVolume?.sizeGiB;
    if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > 16_384)) {
      throw invalid('InvalidVolumeSize', 'The root volume size must be an integer from 1 to 16384 GiB', [
        { field: 'rootVolume.sizeGiB', message: 'out of range' },
      ]);
    }
    if (rootVolume?.volumeId) {
      if (maxCount > 1) throw invalid('VolumeForManyInstances', 'An existing volume boots a single instance', [{ field: 'maxCount', message: 'more than 1' }]);
      request = { ...request, image: (await this.disks.bootSource(rootVolume.volumeId, projectId)).imageId };
    }

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
    if (!rootVolume && flavor.diskGiB > 0 && flavor.diskGiB < image.minDiskGiB) {
      throw refused('FlavorDiskTooSmall', `Image ${image.name} needs ${image.minDiskGiB} GiB; flavor ${flavor.name} has ${flavor.diskGiB}`);
    }
    if (request.keyName && !(await this.compute.getKeyPair(projectId, request.keyName))) {
      throw refused('KeyPairNotFound', `No key pair "${request.keyName}" in this project`, [{ field: 'keyName', message: 'unknown' }]);
    }
    const securityGroups = await this.networks.resolveSecurityGroups(request.securityGroups ?? [], projectId);
    if (request.zone) {
      const hosts = await this.compute.allHosts();
      if (!hosts.some((h) => h.zone === request.zone))
        throw refused('ZoneNotFound', `No availability zone "${request.zone}"`, [{ field: 'zone', message: 'unknown' }]);
    }
    const networks: NetworkRequest[] = await this.networks.resolveForLaunch(request.networks, projectId, maxCount);

    const operationId = this.ids.next('op');
    const perInstance = { instances: 1, vcpus: flavor.vcpus, ramMiB: flavor.ramMiB };
    const candidateIds = Array.from({ length: maxCount }, () => this.ids.next('inst'));
    const ctx = { ...contextOf(principal, requestId), projectId, correlationId: operationId };
    const instanceIds = await this.quota.reserveAsManyAsFit(projectId, candidateIds, perInstance, minCount, ctx);

    const names = instanceIds.map((_, i) => (instanceIds.length > 1 ? `${request.name}-${i + 1}` : request.name));
    // The operation and the instances go out together (one group commit). The answer does not wait
    // for the read models: the operation and each instance are readable from their streams at once.
    await Promise.all([
      this.operations.start({ operationId, projectId, kind: 'launch', instanceIds }, ctx),
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
            ...(request.metadata && Object.keys(request.metadata).length > 0 ? { metadata: request.metadata } : {}),
            ...(tags.length > 0 ? { tags } : {}),
            ...(rootVolume ? { rootVolume } : {}),
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

  /** Whether an aggregate is active, as this process last knew it (see RecentLookups). */
  private async isLive(loading: Promise<{ state: { status: string } }>): Promise<boolean> {
    return (await loading).state.status === 'active';
  }
}
