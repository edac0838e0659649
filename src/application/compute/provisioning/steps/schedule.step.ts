import { Inject, Injectable } from '@nestjs/common';
import { rankHosts } from '../../../../domain/compute/host/scheduler';
import { DomainError } from '../../../../domain/shared/domain-error';
import { CommandExecutor } from '../../../shared/command-executor';
import { Mutex } from '../../../shared/mutex';
import { activeImage } from '../active-image';
import { HostClaims } from '../host-claims';
import { InstanceRecords, Present } from '../instance-records';
import { PROVISIONING_SETTINGS, ProvisioningSettings } from '../provisioning.settings';
import { SchedulingView } from '../scheduling-view';
import { ProvisioningStep } from './provisioning-step';

/**
 * Picks a host and claims the instance's resources on it. Decisions are taken one at a time, each
 * counting the claims still in flight before it; the claims themselves then go out together
 * (grouped per host by the executor). A host whose aggregate turns the claim down (the view was
 * stale) is left out and the next one tried. After `maxAttempts` hosts where spawning failed, or
 * with no host that fits, the instance fails.
 */
@Injectable()
export class ScheduleStep implements ProvisioningStep {
  private readonly deciding = new Mutex();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly records: InstanceRecords,
    private readonly claims: HostClaims,
    private readonly view: SchedulingView,
    @Inject(PROVISIONING_SETTINGS) private readonly settings: ProvisioningSettings,
  ) {}

  async run(s: Present): Promise<void> {
    const ctx = this.records.ctx(s);
    // Claims on hosts where spawning failed may survive a crash between the failure and its release.
    for (const hostId of s.triedHosts) await this.claims.release(hostId, s.instanceId, ctx);
    if (s.attempt >= this.settings.maxAttempts) {
      return this.records.fail(s, `No valid host after ${s.attempt} attempts; last error: ${s.failure ?? 'none'}`);
    }
    const image = await activeImage(this.executor, s.request.imageId);
    const resources = { vcpus: s.flavor.vcpus, ramMiB: s.flavor.ramMiB, diskGiB: s.flavor.diskGiB };
    const refused: string[] = [];
    let listRefreshed = false;
    for (;;) {
      const host = await this.deciding.run(async () => {
        const candidates = await this.view.candidates(s.instanceId);
        // A claim made before a crash, whose scheduling was never recorded: take that host, do not claim a second one.
        const chosen =
          candidates.find((c) => c.holdsClaim && !s.triedHosts.includes(c.hostId)) ??
          rankHosts(
            candidates,
            { resources, zone: s.request.zone, imageMinDiskGiB: image?.minDiskGiB ?? 0, excludeHostIds: [...s.triedHosts, ...refused] },
            this.settings.weigher,
          )[0];
        if (chosen) this.view.deciding(chosen.hostId, s.instanceId, resources);
        return chosen;
      });
      if (!host && !listRefreshed) {
        // The list may be up to a second old, or the read model behind: read it again, as of now, before refusing.
        listRefreshed = true;
        await this.view.refresh();
        continue;
      }
      if (!host) {
        const tried = s.triedHosts.length > 0 ? ` (spawning failed on ${s.triedHosts.length} other host(s); last error: ${s.failure ?? 'none'})` : '';
        return this.records.fail(s, `No valid host was found: no enabled host in the zone has the resources${tried}`);
      }
      try {
        await this.claims.claim(host.hostId, s.instanceId, resources, ctx);
      } catch (error) {
        if (error instanceof DomainError && (error.code === 'HostFull' || error.code === 'HostDisabled')) {
          refused.push(host.hostId);
          continue;
        }
        throw error;
      } finally {
        this.view.decided(host.hostId, s.instanceId);
      }
      const result = await this.records.record(s, { type: 'RecordScheduled', hostId: host.hostId, attempt: s.attempt + 1, now: this.records.now() });
      const scheduled = result.state.status === 'present' ? result.state.hostId : null;
      if (scheduled !== host.hostId) await this.claims.release(host.hostId, s.instanceId, ctx); // someone else scheduled it meanwhile
      return;
    }
  }
}
