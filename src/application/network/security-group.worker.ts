import { Inject, Injectable } from '@nestjs/common';
import { HostDirectory } from '../compute/public';
import { EVENT_STORE, EventStore, Subscription } from '../ports/event-store.port';
import { AppLogger, LOGGER } from '../ports/logger.port';
import { METRICS, Metrics } from '../ports/metrics.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../ports/read-model-progress.port';
import { DriverError } from '../shared/driver-error';
import { WORK_OWNERSHIP, WorkOwnership } from '../ports/work-ownership.port';
import { followLog } from '../shared/work/follow-log';
import { ReconcileLoop } from '../shared/work/reconcile-loop';
import { ReconcileResult, done } from '../shared/work/reconcile-result';
import { WORK_SETTINGS, WorkSettings } from '../shared/work/work.settings';
import { NETWORK_SETTINGS, NetworkSettings } from './network.settings';
import { NETWORK_READ_MODEL, NetworkReadModel } from './ports/network-read-model.port';
import { SWITCHES, SwitchDrivers } from './ports/switch-drivers.port';
import { SecurityRules } from './security-rules';

const TRIGGERS = new Set(['SecurityGroupRuleAdded', 'SecurityGroupRuleRemoved', 'PortSecurityGroupsChanged', 'PortCreated', 'PortDeleted']);
/** Groups whose members changed: the ports of every group with a remote-group rule are brought up to date. */
const MEMBERS = 'members';
/** A group's rules changed (key: the group's id), a port's groups did (key: `port:<id>`), or a port came or went (MEMBERS). */
const keyOf = (event: { type: string; data: unknown }) => {
  if (event.type === 'PortSecurityGroupsChanged') return `port:${(event.data as { portId: string }).portId}`;
  if (event.type === 'PortCreated' || event.type === 'PortDeleted') return MEMBERS;
  return (event.data as { securityGroupId: string }).securityGroupId;
};

/**
 * Carries a rule change to the switch of every bound port of the group, and a port's new groups to
 * its switch, at once. It is the fast
 * path only: a change it could not apply (host unreachable, a crash in between, a port bound a
 * moment later) is found by the reconciler, which compares each port's rules with its groups' and
 * records what it puts right (PortRepaired). So a group given up on is left to the reconciler.
 */
@Injectable()
export class SecurityGroupWorker {
  private readonly loop: ReconcileLoop;
  private subscription: Subscription | null = null;
  private unwatch: () => void = () => undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
    @Inject(SWITCHES) private readonly switches: SwitchDrivers,
    @Inject(WORK_OWNERSHIP) private readonly ownership: WorkOwnership,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(METRICS) metrics: Metrics,
    @Inject(WORK_SETTINGS) work: WorkSettings,
    @Inject(NETWORK_SETTINGS) settings: NetworkSettings,
    private readonly hosts: HostDirectory,
    private readonly rules: SecurityRules,
  ) {
    this.loop = new ReconcileLoop(
      {
        name: 'security-groups',
        concurrency: settings.securityGroupConcurrency,
        settings: work,
        metrics,
        log,
        owns: (key) => ownership.owns(key),
        giveUp: async () => undefined,
      },
      (id) => this.reconcile(id),
    );
  }

  async start(): Promise<void> {
    ({ subscription: this.subscription, unwatch: this.unwatch } = await followLog(
      this.store,
      this.progress,
      this.loop,
      { triggers: TRIGGERS, keyOf, unfinished: async () => [] },
      this.ownership,
      (error) => this.log.errorWith('security groups: could not pick up the work of shards taken over', { error: String(error) }),
    ));
  }

  async stop(): Promise<void> {
    this.unwatch();
    await this.subscription?.stop();
    await this.loop.stop(5_000);
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    if (key === MEMBERS) return this.membersChanged();
    // A port's new groups change those groups' members too.
    if (key.startsWith('port:')) this.loop.kick(MEMBERS);
    const ports = key.startsWith('port:') ? [await this.networks.getPort(key.slice(5))] : await this.networks.listPortsInSecurityGroup(key);
    for (const port of ports) {
      if (!port) continue; // deleted since
      // Not plugged yet (the spawn applies the rules as they are then), or the host's agent applies them.
      const host = await this.hosts.drivenRef(port.host);
      if (!host) continue;
      try {
        await this.switches.switch(host).applySecurityRules(port.id, await this.rules.forGroups(port.securityGroups));
      } catch (error) {
        if (!(error instanceof DriverError)) throw error;
        this.log.warnWith('security rules not applied; the reconciler will', { portId: port.id, hostId: host.hostId, error: error.message });
      }
    }
    return done;
  }

  /** The ports of every group with a remote-group rule, once the read model shows the change (their members are read from it). */
  private async membersChanged(): Promise<ReconcileResult> {
    const referring = await this.networks.groupsWithRemoteRules();
    if (referring.length === 0) return done;
    await this.progress.waitFor(await this.store.headPosition());
    for (const groupId of referring) await this.reconcile(groupId);
    return done;
  }
}
