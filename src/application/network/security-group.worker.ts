import { Inject, Injectable } from '@nestjs/common';
import { INSTANCE_READ_MODEL, InstanceReadModel } from '../compute/ports/instance-read-model.port';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../compute/ports/compute-read-model.port';
import { HOST_DRIVERS, HostDrivers } from '../compute/ports/host-drivers.port';
import { HOST_SCOPE, HostScope } from '../compute/ports/host-scope.port';
import { EVENT_STORE, EventStore, Subscription } from '../ports/event-store.port';
import { AppLogger, LOGGER } from '../ports/logger.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../ports/read-model-progress.port';
import { DriverError } from '../shared/driver-error';
import { followWork } from '../shared/work/follow-log';
import { KeyedWorkQueue } from '../shared/keyed-work-queue';
import { SecurityRules } from './security-rules';

const TRIGGERS = new Set(['SecurityGroupRuleAdded', 'SecurityGroupRuleRemoved']);

/**
 * Carries a rule change to the switch of every bound port of the group, at once. It is the fast
 * path only: a change it could not apply (host unreachable, a crash in between, a port bound a
 * moment later) is found by the reconciler, which compares each port's rules with its groups'.
 */
@Injectable()
export class SecurityGroupWorker {
  private readonly queue = new KeyedWorkQueue(4, (id) => this.apply(id));
  private subscription: Subscription | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(HOST_DRIVERS) private readonly drivers: HostDrivers,
    @Inject(HOST_SCOPE) private readonly scope: HostScope,
    @Inject(LOGGER) private readonly log: AppLogger,
    private readonly rules: SecurityRules,
  ) {}

  async start(): Promise<void> {
    ({ subscription: this.subscription } = await followWork(this.store, this.progress, this.queue, {
      triggers: TRIGGERS,
      keyOf: (event) => (event.data as { securityGroupId: string }).securityGroupId,
      unfinished: async () => [],
    }));
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    await this.queue.stop(5_000);
  }

  private async apply(securityGroupId: string): Promise<void> {
    for (const port of await this.instances.listPortsInSecurityGroup(securityGroupId)) {
      if (!port.host) continue; // not plugged yet: the spawn applies the rules as they are then
      if (!this.scope.drives(port.host)) continue; // the host's agent applies them
      const host = await this.compute.getHost(port.host);
      if (!host) continue;
      try {
        const sw = this.drivers.switch({ hostId: host.id, driver: host.driver, uri: host.uri });
        await sw.applySecurityRules(port.id, await this.rules.forGroups(port.securityGroups));
      } catch (error) {
        if (!(error instanceof DriverError)) throw error;
        this.log.warnWith('security rules not applied; the reconciler will', { portId: port.id, host: host.name, error: error.message });
      }
    }
  }
}
