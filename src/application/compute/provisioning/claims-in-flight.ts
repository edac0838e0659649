import { Resources } from '../../../domain/compute/host/host.decider';

/**
 * Host claims decided but not yet appended. Scheduling decisions are taken one at a time, yet
 * their claims are appended concurrently; counting these keeps the decisions after them from
 * seeing capacity that is already spoken for.
 */
export class ClaimsInFlight {
  private readonly byHost = new Map<string, Map<string, Resources>>();

  add(hostId: string, claimId: string, resources: Resources): void {
    const claims = this.byHost.get(hostId) ?? new Map<string, Resources>();
    claims.set(claimId, resources);
    this.byHost.set(hostId, claims);
  }

  remove(hostId: string, claimId: string): void {
    const claims = this.byHost.get(hostId);
    claims?.delete(claimId);
    if (claims?.size === 0) this.byHost.delete(hostId);
  }

  /** `free` less the claims in flight on the host that `recorded` (the host's claims) does not hold yet. */
  deduct(hostId: string, free: Resources, recorded: Readonly<Record<string, Resources>>): Resources {
    let { vcpus, ramMiB, diskGiB } = free;
    for (const [claimId, r] of this.byHost.get(hostId) ?? []) {
      if (recorded[claimId] !== undefined) continue;
      vcpus -= r.vcpus;
      ramMiB -= r.ramMiB;
      diskGiB -= r.diskGiB;
    }
    return { vcpus, ramMiB, diskGiB };
  }
}
