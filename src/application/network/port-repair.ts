import { Inject, Injectable } from '@nestjs/common';
import { PortRepair, portDecider, portStream } from '../../domain/network/port/port.decider';
import { sameRuleSet } from '../../domain/network/security-group/security-group.decider';
import { DomainError } from '../../domain/shared/domain-error';
import { CommandExecutor } from '../shared/command-executor';
import { NETWORK_READ_MODEL, NetworkReadModel } from './ports/network-read-model.port';
import { ActualPort, FloatingNat, SwitchDriver } from './ports/switch-driver.port';
import { FloatingIpNat } from './floating-ip-nat';
import { SecurityRules } from './security-rules';
import { plugPortAsRecorded } from './plug-port';
import { segmentOf } from './network-segment';
import { AppLogger, LOGGER } from '../ports/logger.port';
import { CommandContext } from '../shared/command-context';
import { HostView } from '../compute/public';

/**
 * The switch side of reconciliation: every port bound to the host, of an instance at rest, must be
 * plugged with its VLAN and MAC, carry exactly its groups' rules and map its floating IP. A port removed out of band is
 * plugged again, drifted rules are put back; each repair is recorded as PortRepaired.
 */
@Injectable()
export class PortRepairer {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly rules: SecurityRules,
    private readonly nat: FloatingIpNat,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  async repairHost(host: HostView, sw: SwitchDriver, atRest: ReadonlySet<string>, actual: readonly ActualPort[], ctx: CommandContext): Promise<void> {
    const plugged = new Map(actual.map((p) => [p.portId, p]));
    // Many ports share a set of groups: look each up once per pass.
    const rulesOf = memo((groups: string) => this.rules.forGroups(groups === '' ? [] : groups.split(',')));
    const bound = (await this.networks.listPortsOnHost(host.id)).filter((p) => p.instanceId && atRest.has(p.instanceId)); // others are a worker's
    const floatingIps = new Map((await this.networks.floatingIpsOf({ portIds: bound.map((p) => p.id) })).map((f) => [f.portId, f.address]));
    for (const port of bound) {
      if (!port.instanceId) continue;
      const network = await segmentOf(this.executor, port.networkId);
      if (!network) continue;
      const desired = await rulesOf([...port.securityGroups].sort().join(','));
      const found = plugged.get(port.id);
      let repair: { repair: PortRepair; detail: string } | null = null;
      if (!found) {
        await plugPortAsRecorded(sw, network, { portId: port.id, mac: port.mac, ip: port.ip, instanceId: port.instanceId }, desired);
        repair = { repair: 'replugged', detail: `the port was missing on ${host.name}'s switch` };
      } else if (!sameRuleSet(found.rules, desired)) {
        await sw.applySecurityRules(port.id, desired);
        repair = { repair: 'rules-restored', detail: `the port carried ${found.rules.length} rule(s), its groups give ${desired.length}` };
      }
      const nat = await this.nat.natFor(port, floatingIps.get(port.id) ?? null);
      if (!sameNat(found?.nat ?? null, nat)) {
        await sw.setFloatingIp(port.id, nat);
        const shown = (n: FloatingNat | null) => (n ? `${n.floatingIp} via ${n.routerId ?? 'no router'}` : 'nothing');
        repair ??= { repair: 'floating-ip-restored', detail: `the switch mapped ${shown(found?.nat ?? null)}, the books say ${shown(nat)}` };
      }
      if (!repair) continue;
      this.log.warnWith('port repaired', { portId: port.id, host: host.name, ...repair });
      try {
        await this.executor.execute(portDecider, portStream(port.id), { type: 'RecordRepaired', ...repair, now: this.executor.now() }, ctx, {
          waitForReadModels: false,
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error; // deleted meanwhile: the next pass unplugs it as an orphan
      }
    }
  }
}

const sameNat = (a: FloatingNat | null, b: FloatingNat | null) =>
  a === b || (!!a && !!b && a.floatingIp === b.floatingIp && a.fixedIp === b.fixedIp && a.routerId === b.routerId);

function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const seen = new Map<string, Promise<T>>();
  return (key) => {
    if (!seen.has(key)) seen.set(key, load(key));
    return seen.get(key) as Promise<T>;
  };
}
