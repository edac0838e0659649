import { Inject, Injectable } from '@nestjs/common';
import { HostState, freeResources, hostDecider, hostStream } from '../../../domain/compute/host/host.decider';
import { HostCandidate, rankHosts } from '../../../domain/compute/host/scheduler';
import { InstanceCommand, InstanceState, instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { projectDecider, projectStream } from '../../../domain/identity/project/project.decider';
import { networkDecider, networkStream } from '../../../domain/network/network/network.decider';
import { portDecider, portStream } from '../../../domain/network/port/port.decider';
import { DomainError } from '../../../domain/shared/domain-error';
import { volumeDecider, volumeStream } from '../../../domain/storage/volume/volume.decider';
import { CommandExecutor } from '../../event-sourcing/command-executor';
import { NETWORK_READ_MODEL, NetworkReadModel } from '../../network/network-read-model.port';
import { EVENT_STORE, EventStore, Subscription } from '../../ports/event-store.port';
import { LOGGER, AppLogger } from '../../ports/logger.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../../ports/read-model-progress.port';
import { CommandContext } from '../../shared/command-context';
import { DriverError } from '../../shared/driver-error';
import { VOLUME_READ_MODEL, VolumeReadModel } from '../../storage/volume-read-model.port';
import { followWork } from '../../shared/follow-work';
import { KeyedWorkQueue } from '../../shared/keyed-work-queue';
import { Mutex } from '../../shared/mutex';
import { COMPUTE_READ_MODEL, ComputeReadModel, HostView } from '../compute-read-model.port';
import { INSTANCE_READ_MODEL, InstanceReadModel } from '../instance-read-model.port';
import { HOST_DRIVERS, HostDrivers } from '../ports/host-drivers.port';
import { macFor, portIdFor, rootVolumeIdFor } from './derived-ids';
import { PROVISIONING_SETTINGS, ProvisioningSettings } from './provisioning-settings';

type Present = Extract<InstanceState, { status: 'present' }>;

/** Events after which an instance has work to do. */
const TRIGGERS = new Set([
  'InstanceRequested',
  'InstanceSpawnFailed',
  'InstanceFailed',
  'InstanceStopRequested',
  'InstanceStartRequested',
  'InstanceRebootRequested',
  'InstanceDeleteRequested',
]);

const NO_WAIT = { waitForReadModels: false };

/**
 * The provisioning saga, level-triggered. An instance's own stream is the saga's log: its
 * vm/task state says which step is next (schedule, network, root volume, spawn; or a stop, start,
 * reboot, delete), every step is idempotent (claims keyed by instance id, ports and volumes with
 * ids derived from it), and each step ends by recording the transition. After a crash, start()
 * finds every instance with work left and drives it on from where its stream says it is.
 * Failure: a spawn failure frees the host and reschedules (at most maxAttempts hosts); any other
 * failure records the error, then gives back everything in reverse (domain, ports and addresses,
 * root volume, host claims, quota) and records that it did.
 */
@Injectable()
export class ProvisioningWorker {
  private readonly queue: KeyedWorkQueue;
  private subscription: Subscription | null = null;
  private stopped = false;
  /** Scheduling decisions are taken one at a time, each on a host view that includes the claims before it. */
  private readonly scheduling = new Mutex();

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
    @Inject(HOST_DRIVERS) private readonly drivers: HostDrivers,
    @Inject(PROVISIONING_SETTINGS) private readonly settings: ProvisioningSettings,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {
    this.queue = new KeyedWorkQueue(settings.concurrency, (id) => this.drive(id));
  }

  async start(): Promise<void> {
    this.stopped = false;
    const { subscription, resumed } = await followWork(this.store, this.progress, this.queue, {
      triggers: TRIGGERS,
      keyOf: (data) => (data as { instanceId: string }).instanceId,
      unfinished: () => this.instances.listUnfinished(),
    });
    this.subscription = subscription;
    if (resumed > 0) this.log.info('provisioning: resuming unfinished instances', { count: resumed });
  }

  /** Stops taking work and waits a little for steps in flight; whatever is cut short resumes at the next start. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.queue.stop(graceMs);
  }

  private async drive(instanceId: string): Promise<void> {
    for (let steps = 0; !this.stopped && steps < 50; steps++) {
      const { state } = await this.executor.load(instanceDecider, instanceStream(instanceId));
      if (state.status !== 'present') return;
      try {
        const progressed = await this.step(state);
        if (!progressed) return;
      } catch (error) {
        this.log.errorWith('provisioning step failed; will retry', { instanceId, task: state.taskState, error: String(error) });
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** Math.min(steps, 6), 5_000)));
      }
    }
  }

  /** Performs the next step; false when nothing is left to do. */
  private async step(s: Present): Promise<boolean> {
    if (s.vmState === 'deleted') return false;
    if (s.taskState === 'deleting') {
      await this.releaseEverything(s);
      await this.record(s, { type: 'RecordDeleted', now: this.executor.now() });
      return true;
    }
    if (s.vmState === 'error') {
      if (!s.releasePending) return false; // a lost instance keeps its resources until deleted
      await this.releaseEverything(s);
      await this.record(s, { type: 'RecordResourcesReleased', now: this.executor.now() });
      return true;
    }
    switch (s.taskState) {
      case 'scheduling':
        await this.scheduling.run(() => this.schedule(s));
        return true;
      case 'networking':
        await this.network(s);
        return true;
      case 'block_device_mapping':
        await this.rootVolume(s);
        return true;
      case 'spawning':
        await this.spawn(s);
        return true;
      case 'powering_off':
        await this.hypervisorAction(s, async (hv) => void (await hv.shutdown(s.instanceId, this.settings.shutdownTimeoutMs)), 'RecordStopped');
        return true;
      case 'powering_on':
        await this.hypervisorAction(
          s,
          async (hv) => {
            await hv.start(s.instanceId);
            if (!(await hv.waitUntilReady(s.instanceId, this.settings.spawnTimeoutMs)))
              throw new DriverError('transient', 'start', 'the guest did not become ready');
          },
          'RecordStarted',
        );
        return true;
      case 'rebooting':
      case 'rebooting_hard':
        await this.reboot(s);
        return true;
      case null:
        return false;
    }
  }

  private ctx(s: Present): CommandContext {
    return { principal: 'system:provisioning', projectId: s.projectId, requestId: null, correlationId: s.request.operationId, causationId: s.instanceId };
  }

  private record(s: Present, command: InstanceCommand) {
    return this.executor.execute(instanceDecider, instanceStream(s.instanceId), command, this.ctx(s), NO_WAIT);
  }

  private async fail(s: Present, reason: string): Promise<void> {
    this.log.warnWith('instance failed', { instanceId: s.instanceId, reason });
    await this.record(s, { type: 'RecordFailed', reason, now: this.executor.now() });
  }

  private async schedule(s: Present): Promise<void> {
    // Claims on hosts where spawning failed may survive a crash between the failure and its release.
    for (const hostId of s.triedHosts) await this.releaseClaim(s, hostId);
    if (s.attempt >= this.settings.maxAttempts) {
      return this.fail(s, `No valid host after ${s.attempt} attempts; last error: ${s.failure ?? 'none'}`);
    }
    const image = await this.compute.getImage(s.request.imageId);
    const resources = { vcpus: s.flavor.vcpus, ramMiB: s.flavor.ramMiB, diskGiB: s.flavor.diskGiB };
    const candidates = await this.hostCandidates(s.instanceId);
    // A claim made before a crash, whose scheduling was never recorded: take that host, do not claim a second one.
    const claimed = candidates.find((c) => c.holdsClaim && !s.triedHosts.includes(c.hostId));
    const ranked = claimed
      ? [claimed]
      : rankHosts(
          candidates,
          { resources, zone: s.request.zone, imageMinDiskGiB: image?.minDiskGiB ?? 0, excludeHostIds: s.triedHosts },
          this.settings.weigher,
        );
    for (const host of ranked) {
      try {
        await this.executor.execute(
          hostDecider,
          hostStream(host.hostId),
          { type: 'ClaimResources', claimId: s.instanceId, resources, now: this.executor.now() },
          this.ctx(s),
          NO_WAIT,
        );
      } catch (error) {
        if (error instanceof DomainError && (error.code === 'HostFull' || error.code === 'HostDisabled')) continue; // the view was stale
        throw error;
      }
      const result = await this.record(s, { type: 'RecordScheduled', hostId: host.hostId, attempt: s.attempt + 1, now: this.executor.now() });
      const scheduled = result.state.status === 'present' ? result.state.hostId : null;
      if (scheduled !== host.hostId) await this.releaseClaim(s, host.hostId); // someone else scheduled it meanwhile
      return;
    }
    await this.fail(s, 'No valid host was found: no enabled host in the zone has the resources');
  }

  /**
   * Hosts as the Host aggregates see them: the cached folded state where this process has one
   * (exact for its own claims, so decisions taken one after another spread correctly without
   * waiting for the read models), the read model otherwise. The claim itself is the guarantee.
   */
  private async hostCandidates(instanceId: string): Promise<Array<HostCandidate & { holdsClaim: boolean }>> {
    const hosts = (await this.compute.listHosts({ limit: 1000, cursor: null })).items;
    return Promise.all(
      hosts.map(async (h) => {
        const state = this.executor.peek<HostState>(hostDecider, hostStream(h.id)) ?? (await this.executor.load(hostDecider, hostStream(h.id))).state;
        const registered = state.status === 'registered';
        return {
          hostId: h.id,
          name: h.name,
          zone: h.zone,
          enabled: registered ? state.enabled : h.enabled,
          free: registered ? freeResources(state) : h.free,
          holdsClaim: registered && state.claims[instanceId] !== undefined,
        };
      }),
    );
  }

  private async network(s: Present): Promise<void> {
    const attachments = [];
    for (const [index, request] of s.request.networks.entries()) {
      const network = await this.networks.getNetwork(request.networkId, s.projectId);
      if (!network) return this.fail(s, `Network ${request.networkId} no longer exists`);
      const portId = portIdFor(s.instanceId, index);
      let ip: string;
      try {
        const result = await this.executor.execute(
          networkDecider,
          networkStream(network.id),
          { type: 'AllocateIp', portId, ip: request.ip, now: this.executor.now() },
          this.ctx(s),
          NO_WAIT,
        );
        const held = result.state.status === 'active' ? Object.entries(result.state.allocations).find(([, port]) => port === portId) : undefined;
        if (!held) return this.fail(s, `No address on ${network.name}`);
        ip = held[0];
      } catch (error) {
        if (error instanceof DomainError) return this.fail(s, `Network ${network.name}: ${error.message}`);
        throw error;
      }
      const mac = macFor(portId);
      await this.executor.execute(
        portDecider,
        portStream(portId),
        {
          type: 'CreatePort',
          portId,
          projectId: s.projectId,
          networkId: network.id,
          mac,
          ip,
          instanceId: s.instanceId,
          securityGroups: s.request.securityGroups,
          now: this.executor.now(),
        },
        this.ctx(s),
        NO_WAIT,
      );
      attachments.push({ portId, networkId: network.id, ip, mac });
    }
    await this.record(s, { type: 'RecordNetworked', attachments, now: this.executor.now() });
  }

  private async rootVolume(s: Present): Promise<void> {
    const image = await this.compute.getImage(s.request.imageId);
    if (!image) return this.fail(s, `Image ${s.request.imageId} no longer exists`);
    const volumeId = rootVolumeIdFor(s.instanceId);
    const sizeGiB = Math.max(s.flavor.diskGiB, image.minDiskGiB, 1);
    const stream = volumeStream(volumeId);
    const { state } = await this.executor.load(volumeDecider, stream);
    if (state.status === 'absent') {
      await this.executor.execute(
        volumeDecider,
        stream,
        {
          type: 'RequestVolume',
          volumeId,
          projectId: s.projectId,
          name: `${s.request.name}-root`,
          sizeGiB,
          sourceImageId: image.id,
          bootFor: s.instanceId,
          now: this.executor.now(),
        },
        this.ctx(s),
        NO_WAIT,
      );
    }
    try {
      await this.drivers.storage().createVolume({ volumeId, sizeGiB, sourceImage: image.source });
    } catch (error) {
      if (error instanceof DriverError) {
        await this.executor.execute(
          volumeDecider,
          stream,
          { type: 'RecordCreationFailed', reason: error.message, now: this.executor.now() },
          this.ctx(s),
          NO_WAIT,
        );
        return this.fail(s, `Root volume: ${error.message}`);
      }
      throw error;
    }
    await this.executor.execute(volumeDecider, stream, { type: 'RecordCreated', now: this.executor.now() }, this.ctx(s), NO_WAIT);
    await this.record(s, { type: 'RecordRootVolumeReady', volumeId, now: this.executor.now() });
  }

  private async spawn(s: Present): Promise<void> {
    const host = await this.hostOf(s.hostId);
    if (!host) return this.fail(s, `Host ${s.hostId} no longer exists`);
    try {
      const hv = this.drivers.hypervisor({ hostId: host.id, driver: host.driver, uri: host.uri });
      const sw = this.drivers.switch({ hostId: host.id, driver: host.driver, uri: host.uri });
      const nics = [];
      for (const a of s.attachments) {
        const network = await this.networks.getNetwork(a.networkId, s.projectId);
        if (!network) throw new DriverError('invalid', 'spawn', `network ${a.networkId} vanished`);
        await sw.ensureSegment({ networkId: network.id, vlan: network.vlan, cidr: network.cidr, gateway: network.gateway });
        await sw.plugPort({ portId: a.portId, networkId: network.id, vlan: network.vlan, mac: a.mac, ip: a.ip, instanceId: s.instanceId });
        nics.push({ portId: a.portId, mac: a.mac, ip: a.ip, prefix: Number(network.cidr.split('/')[1]), gateway: network.gateway, vlan: network.vlan });
      }
      const image = await this.compute.getImage(s.request.imageId);
      const keyPair = s.request.keyName ? await this.compute.getKeyPair(s.projectId, s.request.keyName) : null;
      await hv.define({
        instanceId: s.instanceId,
        hostname: s.request.name,
        vcpus: s.flavor.vcpus,
        ramMiB: s.flavor.ramMiB,
        imageSource: image?.source ?? '',
        rootVolumeId: s.rootVolumeId,
        nics,
        sshPublicKey: keyPair?.publicKey ?? null,
        userData: s.request.userData,
      });
      await hv.start(s.instanceId);
      if (!(await hv.waitUntilReady(s.instanceId, this.settings.spawnTimeoutMs))) {
        throw new DriverError('transient', 'spawn', `the guest was not ready within ${this.settings.spawnTimeoutMs} ms`);
      }
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      await this.cleanHost(s, host);
      await this.record(s, { type: 'RecordSpawnFailed', reason: `${host.name}: ${error.message}`, now: this.executor.now() });
      await this.releaseClaim(s, host.id);
      return;
    }
    for (const a of s.attachments) {
      await this.executor.execute(
        portDecider,
        portStream(a.portId),
        { type: 'BindPort', instanceId: s.instanceId, hostId: host.id, now: this.executor.now() },
        this.ctx(s),
        NO_WAIT,
      );
    }
    await this.record(s, { type: 'RecordRunning', now: this.executor.now() });
  }

  private async reboot(s: Present): Promise<void> {
    const hard = s.taskState === 'rebooting_hard';
    await this.hypervisorAction(
      s,
      async (hv) => {
        await hv.reboot(s.instanceId, hard ? 'hard' : 'soft');
        const ready = await hv.waitUntilReady(s.instanceId, hard ? this.settings.spawnTimeoutMs : this.settings.softRebootTimeoutMs);
        if (!ready && !hard) throw new SoftRebootTimedOut();
        if (!ready) throw new DriverError('transient', 'reboot', 'the guest did not come back');
      },
      'RecordRebooted',
    );
  }

  /** A stop/start/reboot: a few tries with backoff, then the action is recorded as failed (the instance stays as it was). */
  private async hypervisorAction(
    s: Present,
    act: (hv: ReturnType<HostDrivers['hypervisor']>) => Promise<void>,
    done: 'RecordStopped' | 'RecordStarted' | 'RecordRebooted',
  ): Promise<void> {
    const host = await this.hostOf(s.hostId);
    if (!host) return void (await this.record(s, { type: 'RecordActionFailed', reason: 'the instance has no host', now: this.executor.now() }));
    let lastError = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await act(this.drivers.hypervisor({ hostId: host.id, driver: host.driver, uri: host.uri }));
        await this.record(s, { type: done, now: this.executor.now() });
        return;
      } catch (error) {
        if (error instanceof SoftRebootTimedOut) {
          // Nova's fallback: a soft reboot that hangs becomes a hard one.
          await this.record(s, { type: 'Reboot', rebootType: 'hard', now: this.executor.now() });
          return;
        }
        if (!(error instanceof DriverError)) throw error;
        lastError = error.message;
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
    await this.record(s, { type: 'RecordActionFailed', reason: lastError, now: this.executor.now() });
  }

  /** Gives back everything the instance may hold, in reverse order of taking it. Every call is idempotent. */
  private async releaseEverything(s: Present): Promise<void> {
    const host = await this.hostOf(s.hostId);
    // Data volumes are detached, not deleted (as in Nova): they outlive the instance.
    for (const volume of await this.volumes.listAttachedTo(s.instanceId)) {
      await this.drivers.storage().detach(volume.id, s.instanceId);
      const stream = volumeStream(volume.id);
      const ctx = this.ctx(s);
      const now = this.executor.now();
      if (volume.status === 'attaching')
        await this.executor.execute(volumeDecider, stream, { type: 'RecordAttachFailed', reason: 'instance deleted', now }, ctx, NO_WAIT);
      else {
        if (volume.status === 'in-use') await this.executor.execute(volumeDecider, stream, { type: 'RequestDetach', now }, ctx, NO_WAIT);
        await this.executor.execute(volumeDecider, stream, { type: 'RecordDetached', now }, ctx, NO_WAIT);
      }
    }
    if (host) await this.cleanHost(s, host);
    const volumeId = rootVolumeIdFor(s.instanceId);
    const volume = await this.executor.load(volumeDecider, volumeStream(volumeId));
    if (volume.state.status !== 'absent' && volume.state.status !== 'deleted') {
      await this.drivers.storage().deleteVolume(volumeId);
      const stream = volumeStream(volumeId);
      if (volume.state.status === 'creating')
        await this.executor.execute(
          volumeDecider,
          stream,
          { type: 'RecordCreationFailed', reason: 'instance failed', now: this.executor.now() },
          this.ctx(s),
          NO_WAIT,
        );
      await this.executor.execute(volumeDecider, stream, { type: 'RequestDelete', now: this.executor.now() }, this.ctx(s), NO_WAIT);
      await this.executor.execute(volumeDecider, stream, { type: 'RecordDeleted', now: this.executor.now() }, this.ctx(s), NO_WAIT);
    }
    for (const [index, request] of s.request.networks.entries()) {
      const portId = portIdFor(s.instanceId, index);
      await this.executor.execute(portDecider, portStream(portId), { type: 'DeletePort', now: this.executor.now() }, this.ctx(s), NO_WAIT);
      try {
        await this.executor.execute(
          networkDecider,
          networkStream(request.networkId),
          { type: 'ReleaseIp', portId, now: this.executor.now() },
          this.ctx(s),
          NO_WAIT,
        );
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'NetworkNotFound')) throw error;
      }
    }
    for (const hostId of new Set([...(s.hostId ? [s.hostId] : []), ...s.triedHosts])) await this.releaseClaim(s, hostId);
    await this.executor.execute(
      projectDecider,
      projectStream(s.projectId),
      { type: 'ReleaseQuota', reservationId: s.instanceId, now: this.executor.now() },
      this.ctx(s),
      NO_WAIT,
    );
  }

  /** Destroys and undefines the guest and unplugs its ports; an unreachable host is left to the reconciler. */
  private async cleanHost(s: Present, host: HostView): Promise<void> {
    try {
      const hv = this.drivers.hypervisor({ hostId: host.id, driver: host.driver, uri: host.uri });
      const sw = this.drivers.switch({ hostId: host.id, driver: host.driver, uri: host.uri });
      await hv.destroy(s.instanceId);
      await hv.undefine(s.instanceId);
      for (const a of s.attachments) await sw.unplugPort(a.portId);
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      this.log.warnWith('could not clean the guest off its host; the reconciler will find it as an orphan', {
        instanceId: s.instanceId,
        host: host.name,
        error: error.message,
      });
    }
  }

  private async releaseClaim(s: Present, hostId: string): Promise<void> {
    await this.executor.execute(
      hostDecider,
      hostStream(hostId),
      { type: 'ReleaseClaim', claimId: s.instanceId, now: this.executor.now() },
      this.ctx(s),
      NO_WAIT,
    );
  }

  private hostOf(hostId: string | null): Promise<HostView | null> {
    return hostId ? this.compute.getHost(hostId) : Promise.resolve(null);
  }
}

class SoftRebootTimedOut extends Error {}
