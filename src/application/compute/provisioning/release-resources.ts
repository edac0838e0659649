import { Injectable } from '@nestjs/common';
import { QuotaLedger } from '../../identity/public';
import { NetworkAttachments } from '../../network/public';
import { InstanceDisks } from '../../storage/public';
import { HostDirectory } from '../host-directory';
import { portsOf, rootVolumeIdFor } from './derived-ids';
import { GuestCleanup } from './guest-cleanup';
import { HostClaims } from './host-claims';
import { InstanceRecords, Present } from './instance-records';

/** Gives back everything an instance may hold, in reverse order of taking it. Every call is idempotent, so a retry after a crash is safe. */
@Injectable()
export class ReleaseResources {
  constructor(
    private readonly records: InstanceRecords,
    private readonly hosts: HostDirectory,
    private readonly cleanup: GuestCleanup,
    private readonly claims: HostClaims,
    private readonly disks: InstanceDisks,
    private readonly networks: NetworkAttachments,
    private readonly quota: QuotaLedger,
  ) {}

  async release(s: Present): Promise<void> {
    const ctx = this.records.ctx(s);
    const host = await this.hosts.hostOf(s.hostId);
    await this.disks.detachAll(s.instanceId, ctx);
    await this.networks.unmapFloatingIps(s.instanceId, ctx);
    if (host) await this.cleanup.clean(s, host);
    const root = s.request.rootVolume;
    await this.disks.releaseRoot(root?.volumeId ?? rootVolumeIdFor(s.instanceId), root ? !root.deleteOnTermination : false, ctx);
    await this.networks.release(s.instanceId, portsOf(s.instanceId, s.request.networks), ctx);
    for (const hostId of new Set([...(s.hostId ? [s.hostId] : []), ...s.triedHosts])) await this.claims.release(hostId, s.instanceId, ctx);
    await this.quota.release(s.projectId, s.instanceId, ctx, { waitForReadModels: false });
  }
}
