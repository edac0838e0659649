import { Inject, Injectable } from '@nestjs/common';
import { HostState, freeResources, hostDecider, hostStream } from '../../../domain/compute/host/host.decider';
import { HostCandidate, rankHosts } from '../../../domain/compute/host/scheduler';
import { InstanceCommand, InstanceState, instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { projectDecider, projectStream } from '../../../domain/identity/project/project.decider';
import { addressOf, networkDecider, networkStream } from '../../../domain/network/network/network.decider';
import { portDecider, portStream } from '../../../domain/network/port/port.decider';
import { DomainError } from '../../../domain/shared/domain-error';
import { volumeDecider, volumeStream } from '../../../domain/storage/volume/volume.decider';
import { CommandExecutor } from '../../shared/command-executor';
import { NETWORK_READ_MODEL, NetworkReadModel } from '../../network/ports/network-read-model.port';
import { SecurityRules } from '../../network/security-rules';
import { plugPortAsRecorded } from '../../network/plug-port';
import { segmentOf } from '../../network/network-segment';
import { ImageState, imageDecider, imageStream } from '../../../domain/compute/image/image.decider';
import { FloatingIpNat } from '../../network/commands/floating-ip.commands';
import { floatingIpDecider, floatingIpStream } from '../../../domain/network/floating-ip/floating-ip.decider';
import { EVENT_STORE, EventStore, Subscription } from '../../ports/event-store.port';
import { LOGGER, AppLogger } from '../../ports/logger.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../../ports/read-model-progress.port';
import { CommandContext } from '../../shared/command-context';
import { DriverError } from '../../shared/driver-error';
import { VOLUME_READ_MODEL, VolumeReadModel } from '../../storage/ports/volume-read-model.port';
import { followWork } from '../../shared/work/follow-log';
import { KeyedWorkQueue } from '../../shared/keyed-work-queue';
import { TriggerVersions } from '../../shared/work/trigger-versions';
import { Mutex } from '../../shared/mutex';
import { COMPUTE_READ_MODEL, ComputeReadModel, HostView } from '../ports/compute-read-model.port';
import { INSTANCE_READ_MODEL, InstanceReadModel } from '../ports/instance-read-model.port';
import { HOST_DRIVERS, HostDrivers } from '../ports/host-drivers.port';
import { HOST_SCOPE, HostScope } from '../ports/host-scope.port';
import { macFor, portIdFor, rootVolumeIdFor } from './derived-ids';
import { ClaimsInFlight } from './claims-in-flight';
import { PROVISIONING_SETTINGS, ProvisioningSettings } from './provisioning.settings';

type Present = Extract<InstanceState, { status: 'present' }>;

/** Events after which an instance has work to do. */
const TRIGGERS = new Set([
  'InstanceRequested',
  // For a standalone agent: an instance placed on its host is its own from here.
  'InstanceScheduled',
  'InstanceSpawnFailed',
  'InstanceFailed',
  'InstanceStopRequested',
  'InstanceStartRequested',
  'InstanceRebootRequested',
  'InstanceDeleteRequested',
]);

const NO_WAIT = { waitForReadModels: false };
/** For the streams of what an instance creates (ids derived from it): usually new, see CommandExecutor.execute. */
const NEW_STREAM = { waitForReadModels: false, newStream: true };
const HOST_LIST_TTL_MS = 1_000;

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
  private readonly hosts = new Map<string, HostView>();
  private readonly triggers = new TriggerVersions();
  private hostListCache: { at: number; hosts: HostView[] } | null = null;
  private readonly claimsInFlight = new ClaimsInFlight();

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
    @Inject(HOST_DRIVERS) private readonly drivers: HostDrivers,
    @Inject(HOST_SCOPE) private readonly scope: HostScope,
    @Inject(PROVISIONING_SETTINGS) private readonly settings: ProvisioningSettings,
    @Inject(LOGGER) private readonly log: AppLogger,
    private readonly rules: SecurityRules,
    private readonly nat: FloatingIpNat,
  ) {
    this.queue = new KeyedWorkQueue(settings.concurrency, (id) => this.drive(id));
    // A host whose agent let go: its instances' unfinished work is ours again.
    this.scope.onTakeOver(() => {
      this.instances
        .listUnfinished()
        .then((ids) => ids.forEach((id) => this.queue.kick(id)))
        .catch((error: unknown) => this.log.errorWith('could not pick up a host handed back', { error: String(error) }));
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    const { subscription, resumed } = await followWork(this.store, this.progress, this.queue, {
      triggers: TRIGGERS,
      keyOf: (event) => this.triggers.note((event.data as { instanceId: string }).instanceId, event.version),
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
    // Kicked by an event: the cached state will do if it has that event (this process appended it),
    // else read afresh. Between its own steps the cached state, which they updated, is exact.
    const triggeredAt = this.triggers.take(instanceId);
    for (let steps = 0; !this.stopped && steps < 50; steps++) {
      const { state } = await this.executor.load(instanceDecider, instanceStream(instanceId), steps > 0 ? { cached: true } : { minVersion: triggeredAt });
      if (state.status !== 'present' || !this.scope.drives(state.hostId)) return; // another process's host (a standalone agent)
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
        await this.schedule(s);
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
          async (hv, host) => {
            await hv.start(s.instanceId, { paused: true });
            await this.plugPorts(s, host);
            await hv.resume(s.instanceId);
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
    const image = await this.imageOf(s.request.imageId);
    const resources = { vcpus: s.flavor.vcpus, ramMiB: s.flavor.ramMiB, diskGiB: s.flavor.diskGiB };
    const refused: string[] = []; // hosts whose aggregate turned the claim down (the view was stale)
    let listRefreshed = false;
    for (;;) {
      // One decision at a time, each counting the claims still in flight before it; the claims
      // themselves then go out together (grouped per host by the executor).
      const host = await this.scheduling.run(async () => {
        const candidates = await this.hostCandidates(s.instanceId);
        // A claim made before a crash, whose scheduling was never recorded: take that host, do not claim a second one.
        const chosen =
          candidates.find((c) => c.holdsClaim && !s.triedHosts.includes(c.hostId)) ??
          rankHosts(
            candidates,
            { resources, zone: s.request.zone, imageMinDiskGiB: image?.minDiskGiB ?? 0, excludeHostIds: [...s.triedHosts, ...refused] },
            this.settings.weigher,
          )[0];
        if (chosen) this.claimsInFlight.add(chosen.hostId, s.instanceId, resources);
        return chosen;
      });
      if (!host && !listRefreshed) {
        // The list may be up to a second old, or the read model behind: a host registered just
        // before this launch counts. Read it again, as of now, before refusing.
        listRefreshed = true;
        await this.refreshHostList();
        continue;
      }
      if (!host) {
        const tried = s.triedHosts.length > 0 ? ` (spawning failed on ${s.triedHosts.length} other host(s); last error: ${s.failure ?? 'none'})` : '';
        return this.fail(s, `No valid host was found: no enabled host in the zone has the resources${tried}`);
      }
      try {
        await this.executor.execute(
          hostDecider,
          hostStream(host.hostId),
          { type: 'ClaimResources', claimId: s.instanceId, resources, now: this.executor.now() },
          this.ctx(s),
          NO_WAIT,
        );
      } catch (error) {
        if (error instanceof DomainError && (error.code === 'HostFull' || error.code === 'HostDisabled')) {
          refused.push(host.hostId);
          continue;
        }
        throw error;
      } finally {
        this.claimsInFlight.remove(host.hostId, s.instanceId);
      }
      const result = await this.record(s, { type: 'RecordScheduled', hostId: host.hostId, attempt: s.attempt + 1, now: this.executor.now() });
      const scheduled = result.state.status === 'present' ? result.state.hostId : null;
      if (scheduled !== host.hostId) await this.releaseClaim(s, host.hostId); // someone else scheduled it meanwhile
      return;
    }
  }

  /**
   * Hosts as the Host aggregates see them: the cached folded state where this process has one
   * (exact for its own claims, so decisions taken one after another spread correctly without
   * waiting for the read models), less the claims in flight; the read model otherwise. The
   * claim itself is the guarantee.
   */
  private async hostCandidates(instanceId: string): Promise<Array<HostCandidate & { holdsClaim: boolean }>> {
    const hosts = await this.hostList();
    return Promise.all(
      hosts.map(async (h) => {
        const state = this.executor.peek<HostState>(hostDecider, hostStream(h.id)) ?? (await this.executor.load(hostDecider, hostStream(h.id))).state;
        const registered = state.status === 'registered';
        return {
          hostId: h.id,
          name: h.name,
          zone: h.zone,
          enabled: registered ? state.enabled : h.enabled,
          free: registered ? this.claimsInFlight.deduct(h.id, freeResources(state), state.claims) : h.free,
          holdsClaim: registered && state.claims[instanceId] !== undefined,
        };
      }),
    );
  }

  /** The host list as of now: once the read models include everything appended so far. */
  private async refreshHostList(): Promise<void> {
    await this.progress.waitFor(await this.store.headPosition());
    this.hostListCache = null;
  }

  /** The registered hosts, read again at most once a second (see refreshHostList for a launch that finds none). */
  private async hostList(): Promise<HostView[]> {
    const now = Date.now();
    if (!this.hostListCache || now - this.hostListCache.at > HOST_LIST_TTL_MS) {
      const hosts = (await this.compute.listHosts({ limit: 1000, cursor: null })).items;
      for (const h of hosts) this.hosts.set(h.id, h);
      this.hostListCache = { at: now, hosts };
    }
    return this.hostListCache.hosts;
  }

  private async network(s: Present): Promise<void> {
    const attachments = [];
    for (const [index, request] of s.request.networks.entries()) {
      const network = await segmentOf(this.executor, request.networkId);
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
        const held = addressOf(result.state, portId);
        if (held === undefined) return this.fail(s, `No address on network ${network.id}`);
        ip = held;
      } catch (error) {
        if (error instanceof DomainError) return this.fail(s, `Network ${network.id}: ${error.message}`);
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
        NEW_STREAM,
      );
      attachments.push({ portId, networkId: network.id, ip, mac });
    }
    await this.record(s, { type: 'RecordNetworked', attachments, now: this.executor.now() });
  }

  private async rootVolume(s: Present): Promise<void> {
    const image = await this.imageOf(s.request.imageId);
    if (!image) return this.fail(s, `Image ${s.request.imageId} no longer exists`);
    const volumeId = rootVolumeIdFor(s.instanceId);
    const sizeGiB = Math.max(s.flavor.diskGiB, image.minDiskGiB, 1);
    const stream = volumeStream(volumeId);
    try {
      await this.executor.execute(
        volumeDecider,
        stream,
        {
          type: 'RequestVolume',
          volumeId,
          projectId: s.projectId,
          name: `${s.request.name}-root`,
          sizeGiB,
          sourceImageId: image.imageId,
          bootFor: s.instanceId,
          now: this.executor.now(),
        },
        this.ctx(s),
        NEW_STREAM,
      );
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'VolumeExists')) throw error; // requested before a crash: go on
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
      const nics = [];
      for (const a of s.attachments) {
        const network = await segmentOf(this.executor, a.networkId);
        if (!network) throw new DriverError('invalid', 'spawn', `network ${a.networkId} vanished`);
        nics.push({ portId: a.portId, mac: a.mac, ip: a.ip, prefix: Number(network.cidr.split('/')[1]), gateway: network.gateway, vlan: network.vlan });
      }
      const image = await this.imageOf(s.request.imageId);
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
      // Started paused, plugged, then let run: the guest never boots with its network unplugged.
      await hv.start(s.instanceId, { paused: true });
      await this.plugPorts(s, host);
      await hv.resume(s.instanceId);
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

  /**
   * Plugs the guest's ports on its host's switch with their rules, once the guest is started
   * (paused): a started guest has a new tap, which a switch can only take once it exists (see the
   * OVS driver).
   */
  private async plugPorts(s: Present, host: HostView): Promise<void> {
    const sw = this.drivers.switch({ hostId: host.id, driver: host.driver, uri: host.uri });
    const rules = await this.rules.forGroups(s.request.securityGroups);
    for (const a of s.attachments) {
      const network = await segmentOf(this.executor, a.networkId);
      if (!network) throw new DriverError('invalid', 'plug', `network ${a.networkId} vanished`);
      await plugPortAsRecorded(sw, network, { portId: a.portId, mac: a.mac, ip: a.ip, instanceId: s.instanceId }, rules);
    }
  }

  private async reboot(s: Present): Promise<void> {
    const hard = s.taskState === 'rebooting_hard';
    await this.hypervisorAction(
      s,
      async (hv, host) => {
        await hv.reboot(s.instanceId, hard ? 'hard' : 'soft');
        if (hard) await this.plugPorts(s, host); // a hard reboot of a guest that was off starts it: new taps
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
    act: (hv: ReturnType<HostDrivers['hypervisor']>, host: HostView) => Promise<void>,
    done: 'RecordStopped' | 'RecordStarted' | 'RecordRebooted',
  ): Promise<void> {
    const host = await this.hostOf(s.hostId);
    if (!host) return void (await this.record(s, { type: 'RecordActionFailed', reason: 'the instance has no host', now: this.executor.now() }));
    let lastError = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await act(this.drivers.hypervisor({ hostId: host.id, driver: host.driver, uri: host.uri }), host);
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
    // Floating IPs stay with the project (as in Neutron); only their mapping goes.
    for (const fip of await this.networks.floatingIpsOf({ instanceId: s.instanceId })) {
      if (fip.portId) await this.nat.apply(fip.portId, null);
      await this.executor.execute(floatingIpDecider, floatingIpStream(fip.id), { type: 'Disassociate', now: this.executor.now() }, this.ctx(s), NO_WAIT);
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

  /** A host's view, kept once read: what the worker uses of it (name, driver, URI) never changes, and hosts are never removed. */
  private async hostOf(hostId: string | null): Promise<HostView | null> {
    if (!hostId) return null;
    const known = this.hosts.get(hostId);
    if (known) return known;
    const host = await this.compute.getHost(hostId);
    if (host) this.hosts.set(hostId, host);
    return host;
  }

  /** An active image from its own stream (cached after the first read; images do not change). */
  private async imageOf(imageId: string): Promise<Exclude<ImageState, { status: 'absent' }> | null> {
    const { state } = await this.executor.load(imageDecider, imageStream(imageId), { cached: true });
    return state.status === 'active' ? state : null;
  }
}

class SoftRebootTimedOut extends Error {}
