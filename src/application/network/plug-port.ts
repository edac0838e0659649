import { NetworkSegment } from './network-segment';
import { SecurityRule, SwitchDriver } from './ports/switch-driver.port';

/** Puts a port on its host's switch as the books say: its network's segment, its VLAN and MAC, its rules. Idempotent. */
export async function plugPortAsRecorded(
  sw: SwitchDriver,
  network: NetworkSegment,
  port: { portId: string; mac: string; ip: string; instanceId: string },
  rules: SecurityRule[],
): Promise<void> {
  await sw.ensureSegment({ networkId: network.id, vlan: network.vlan, cidr: network.cidr, gateway: network.gateway });
  await sw.plugPort({ ...port, networkId: network.id, vlan: network.vlan });
  await sw.applySecurityRules(port.portId, rules);
}
