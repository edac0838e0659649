import { Inject, Injectable } from '@nestjs/common';
import { NetworkAttachments } from '../../../network/public';
import { TRACING, Tracing } from '../../../ports/tracing.port';
import { CommandExecutor } from '../../../shared/command-executor';
import { DriverError } from '../../../shared/driver-error';
import { HostDirectory } from '../../host-directory';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../../ports/compute-read-model.port';
import { HYPERVISORS, HypervisorDrivers, hostRef } from '../../ports/hypervisor-drivers.port';
import { activeImage } from '../active-image';
import { GuestCleanup } from '../guest-cleanup';
import { HostClaims } from '../host-claims';
import { InstanceRecords, Present } from '../instance-records';
import { PROVISIONING_SETTINGS, ProvisioningSettings } from '../provisioning.settings';
import { ActivateStep } from './activate.step';
import { ProvisioningStep } from './provisioning-step';

/**
 * Defines the guest, starts it paused, plugs its ports, lets it run and waits until it is ready;
 * then activates it. A driver failure on the host frees the host and sends the instance back to
 * scheduling on another one (at most maxAttempts hosts). A host that does not answer (libvirtd
 * restarting) is waited for instead, the step retried and shown as waiting, for up to
 * hostUnreachableGraceMs; every step it repeats is idempotent.
 */
@Injectable()
export class SpawnStep implements ProvisioningStep {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly records: InstanceRecords,
    private readonly hosts: HostDirectory,
    private readonly claims: HostClaims,
    private readonly networks: NetworkAttachments,
    private readonly cleanup: GuestCleanup,
    private readonly activate: ActivateStep,
    @Inject(HYPERVISORS) private readonly hypervisors: HypervisorDrivers,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(PROVISIONING_SETTINGS) private readonly settings: ProvisioningSettings,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  async run(s: Present): Promise<void> {
    const host = await this.hosts.hostOf(s.hostId);
    if (!host) return this.records.fail(s, `Host ${s.hostId} no longer exists`);
    const ref = hostRef(host, this.tracing.traceOf(s.instanceId));
    try {
      const hv = this.hypervisors.hypervisor(ref);
      const image = await activeImage(this.executor, s.request.imageId);
      const keyPair = s.request.keyName ? await this.compute.getKeyPair(s.projectId, s.request.keyName) : null;
      await hv.define({
        instanceId: s.instanceId,
        hostname: s.request.name,
        vcpus: s.flavor.vcpus,
        ramMiB: s.flavor.ramMiB,
        imageSource: image?.source ?? '',
        rootVolumeId: s.rootVolumeId,
        nics: await this.networks.nicsOf(s.attachments),
        sshPublicKey: keyPair?.publicKey ?? null,
        userData: s.request.userData,
      });
      // Started paused, plugged, then let run: the guest never boots with its network unplugged.
      await hv.start(s.instanceId, { paused: true });
      await this.networks.plug(ref, s.instanceId, s.attachments, s.request.securityGroups);
      await hv.resume(s.instanceId);
      if (!(await hv.waitUntilReady(s.instanceId, this.settings.spawnTimeoutMs))) {
        throw new DriverError('transient', 'spawn', `the guest was not ready within ${this.settings.spawnTimeoutMs} ms`);
      }
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      if (error.kind === 'unreachable' && !this.waitedOutGrace(s)) throw error; // waited for: retried, shown as waiting
      await this.cleanup.clean(s, host);
      await this.records.record(s, { type: 'RecordSpawnFailed', reason: `${host.name}: ${error.message}`, now: this.records.now() });
      await this.claims.release(host.id, s.instanceId, this.records.ctx(s));
      return;
    }
    await this.activate.run(s);
  }

  /** Whether this spawn has been waiting for its unreachable host for longer than the grace. */
  private waitedOutGrace(s: Present): boolean {
    if (!s.retrying?.waiting) return false;
    return Date.parse(this.records.now()) - Date.parse(s.retrying.since) >= this.settings.hostUnreachableGraceMs;
  }
}
