import { Inject, Injectable } from '@nestjs/common';
import { COMPUTE_READ_MODEL, ComputeReadModel, HostView } from './ports/compute-read-model.port';
import { HOST_SCOPE, HostScope } from './ports/host-scope.port';
import { HostRef, hostRef } from './ports/hypervisor-drivers.port';

/** The registered hosts, and which of them this process drives (see HostScope). */
@Injectable()
export class HostDirectory {
  /** Hosts once read: what is kept of them (name, driver, URI, zone) never changes, and hosts are never removed. */
  private readonly known = new Map<string, HostView>();

  constructor(
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(HOST_SCOPE) private readonly scope: HostScope,
  ) {}

  async hostOf(hostId: string | null): Promise<HostView | null> {
    if (!hostId) return null;
    const known = this.known.get(hostId);
    if (known) return known;
    const host = await this.compute.getHost(hostId);
    if (host) this.known.set(hostId, host);
    return host;
  }

  /** The host's driver reference if this process drives it (else its agent does, or it is unknown). */
  async drivenRef(hostId: string | null): Promise<HostRef | null> {
    if (!hostId || !this.scope.drives(hostId)) return null;
    const host = await this.hostOf(hostId);
    return host ? hostRef(host) : null;
  }

  drives(hostId: string | null): boolean {
    return this.scope.drives(hostId);
  }

  /** Every host, read afresh (capacity and enabled change). */
  async all(): Promise<HostView[]> {
    const hosts = await this.compute.allHosts();
    for (const h of hosts) this.known.set(h.id, h);
    return hosts;
  }
}
