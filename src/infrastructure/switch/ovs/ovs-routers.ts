import { FloatingNat, RouterLegSpec, RouterSpec } from '../../../application/network/ports/switch-driver.port';
import { DriverError } from '../../../application/shared/driver-error';
import { routerLegName } from '../../libvirt/names';
import { decode, encode, ovsMap } from './ovs-values';

/** Runs a command as the switch does (its errors as DriverErrors); `tolerated` errors are taken as done. */
/** Its output; null when the error was a tolerated one. */
export type SwitchCommand = (file: string, operation: string, args: string[], options?: { tolerated?: RegExp; input?: string }) => Promise<string | null>;

/** A router is a network namespace of its own on the host: its legs and its NAT never touch the host's. */
export const routerNamespace = (routerId: string) => `orch-${routerId}`;
const ROUTER_NAMESPACE = /^orch-(rtr-[A-Za-z0-9-]+)$/;

/**
 * Our chains in the router's nat table: floating IPs first, then the router's own SNAT to its
 * gateway address; and in its filter table, the floating IPs the router itself must not answer
 * (their address is on its gateway leg only so that it answers ARP: without their DNAT rule a ping
 * would otherwise be answered by the router instead of the guest).
 */
const CHAINS = { fipIn: 'ORCH-FIP-IN', fipOut: 'ORCH-FIP-OUT', snat: 'ORCH-SNAT' };
const LOCAL = 'ORCH-FIP-LOCAL';
const portTag = (portId: string) => `orch-port=${portId}`;

/**
 * Routers on an Open vSwitch host. Each leg is an internal port of the bridge (tagged with its
 * network's VLAN, named after its port, external_ids naming the router) moved into the router's
 * namespace with its address; the namespace forwards, routes by default to the external subnet's
 * gateway, and translates with iptables (Debian's, nft backend): floating IPs as DNAT/SNAT rules
 * tagged with their port, everything else leaving by the gateway leg SNATed to its address.
 */
export class OvsRouters {
  constructor(
    private readonly bridge: string,
    private readonly run: SwitchCommand,
  ) {}

  async ensure(router: RouterSpec): Promise<void> {
    const ns = routerNamespace(router.routerId);
    await this.run('ip', 'ensureRouter', ['netns', 'add', ns], { tolerated: /File exists/ });
    await this.run('ip', 'ensureRouter', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await this.run('ip', 'ensureRouter', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const wanted = new Set(router.legs.map((l) => routerLegName(l.portId)));
    for (const leg of await this.legsOnBridge(router.routerId)) {
      if (!wanted.has(leg)) await this.run('ovs-vsctl', 'ensureRouter', ['--timeout=10', '--if-exists', 'del-port', this.bridge, leg]);
    }
    for (const leg of router.legs) await this.ensureLeg(router.routerId, ns, leg);
    const gateway = router.legs.find((l) => l.kind === 'gateway');
    if (gateway && router.upstream) await this.run('ip', 'ensureRouter', ['-n', ns, 'route', 'replace', 'default', 'via', router.upstream]);
    await this.ensureChains(ns);
    const snat = gateway ? [`-A ${CHAINS.snat} -o ${routerLegName(gateway.portId)} -j SNAT --to-source ${gateway.address.split('/')[0]}`] : [];
    await this.replaceChain(ns, CHAINS.snat, snat);
  }

  async remove(routerId: string): Promise<void> {
    for (const leg of await this.legsOnBridge(routerId))
      await this.run('ovs-vsctl', 'removeRouter', ['--timeout=10', '--if-exists', 'del-port', this.bridge, leg]);
    await this.run('ip', 'removeRouter', ['netns', 'delete', routerNamespace(routerId)], { tolerated: /No such file|not found/ });
  }

  async list(): Promise<RouterSpec[]> {
    const routers: RouterSpec[] = [];
    for (const routerId of await this.present()) {
      const ns = routerNamespace(routerId);
      const addresses = await this.addressesIn(ns);
      const legs = (await this.legRows(routerId))
        .map(({ name, leg }) => ({ ...leg, address: addresses.get(name)?.find((a) => a === leg.address) ?? '' }))
        .filter((l) => l.address !== '');
      const route = await this.run('ip', 'listRouters', ['-n', ns, 'route', 'show', 'default']);
      const upstream = /default via (\S+)/.exec(route ?? '')?.[1] ?? null;
      routers.push({ routerId, legs, upstream });
    }
    return routers;
  }

  /** The floating IPs mapped in each router, by port: those whose DNAT rule is in place. */
  async mappedFloatingIps(): Promise<Map<string, FloatingNat>> {
    const mapped = new Map<string, FloatingNat>();
    for (const routerId of await this.present()) {
      for (const line of (await this.natRules(routerNamespace(routerId))).filter((l) => l.startsWith(`-A ${CHAINS.fipIn} `))) {
        const port = /orch-port=([A-Za-z0-9-]+)/.exec(line)?.[1];
        const floatingIp = /-d (\d+\.\d+\.\d+\.\d+)\/32/.exec(line)?.[1];
        const fixedIp = /--to-destination (\d+\.\d+\.\d+\.\d+)/.exec(line)?.[1];
        if (port && floatingIp && fixedIp) mapped.set(port, { floatingIp, fixedIp, routerId });
      }
    }
    return mapped;
  }

  /** Removes the port's mapping wherever it is, then adds it in its router's namespace (which must be there). */
  async setFloatingIp(portId: string, nat: FloatingNat | null): Promise<void> {
    for (const routerId of await this.present()) {
      const ns = routerNamespace(routerId);
      for (const line of (await this.rules(ns, 'filter')).filter((l) => l.includes(portTag(portId)))) {
        await this.iptables(ns, splitRule(line.replace(/^-A /, '-D ')), /does a matching rule exist|No chain/, 'filter');
      }
      for (const line of (await this.natRules(ns)).filter((l) => l.includes(portTag(portId)))) {
        await this.iptables(ns, splitRule(line.replace(/^-A /, '-D ')), /does a matching rule exist|No chain/);
        const floating = /-d (\d+\.\d+\.\d+\.\d+)\/32/.exec(line)?.[1];
        const gateway = (await this.legRows(routerId)).find((l) => l.leg.kind === 'gateway');
        if (floating && gateway)
          await this.run('ip', 'setFloatingIp', ['-n', ns, 'addr', 'del', `${floating}/32`, 'dev', gateway.name], { tolerated: /Cannot assign|not found/ });
      }
    }
    if (!nat?.routerId) return;
    const ns = routerNamespace(nat.routerId);
    const gateway = (await this.legRows(nat.routerId)).find((l) => l.leg.kind === 'gateway');
    if (!gateway) throw new DriverError('transient', 'setFloatingIp', `router ${nat.routerId} has no gateway leg on this host yet`);
    await this.ensureChains(ns);
    await this.run('ip', 'setFloatingIp', ['-n', ns, 'addr', 'replace', `${nat.floatingIp}/32`, 'dev', gateway.name]);
    const tag = ['-m', 'comment', '--comment', portTag(portId)];
    await this.iptables(ns, ['-A', CHAINS.fipIn, '-d', `${nat.floatingIp}/32`, ...tag, '-j', 'DNAT', '--to-destination', nat.fixedIp]);
    await this.iptables(ns, ['-A', CHAINS.fipOut, '-s', `${nat.fixedIp}/32`, ...tag, '-j', 'SNAT', '--to-source', nat.floatingIp]);
    await this.iptables(ns, ['-A', LOCAL, '-d', `${nat.floatingIp}/32`, ...tag, '-j', 'DROP'], undefined, 'filter');
  }

  private async ensureLeg(routerId: string, ns: string, leg: RouterLegSpec): Promise<void> {
    const name = routerLegName(leg.portId);
    await this.run('ovs-vsctl', 'ensureRouter', [
      '--timeout=10',
      '--may-exist',
      'add-port',
      this.bridge,
      name,
      `tag=${leg.vlan}`,
      '--',
      'set',
      'Interface',
      name,
      'type=internal',
      `external_ids:orch-router=${routerId}`,
      `external_ids:orch-leg=${encode(leg)}`,
    ]);
    // ovs-vswitchd (re)creates an internal port in the root namespace: move it where it belongs.
    await this.run('ip', 'ensureRouter', ['link', 'set', name, 'netns', ns], { tolerated: /Cannot find device|not found/ });
    await this.run('ip', 'ensureRouter', ['-n', ns, 'addr', 'replace', leg.address, 'dev', name]);
    await this.run('ip', 'ensureRouter', ['-n', ns, 'link', 'set', name, 'up']);
  }

  private async ensureChains(ns: string): Promise<void> {
    for (const chain of Object.values(CHAINS)) await this.iptables(ns, ['-N', chain], /already exists/);
    await this.iptables(ns, ['-N', LOCAL], /already exists/, 'filter');
    const jumps: Array<[string, string, string]> = [
      ['nat', 'PREROUTING', CHAINS.fipIn],
      ['nat', 'OUTPUT', CHAINS.fipIn],
      ['nat', 'POSTROUTING', CHAINS.fipOut],
      ['nat', 'POSTROUTING', CHAINS.snat],
      ['filter', 'INPUT', LOCAL],
    ];
    for (const [table, from, to] of jumps) {
      const present = await this.run('ip', 'ensureRouter', ['netns', 'exec', ns, 'iptables', '-t', table, '-C', from, '-j', to], {
        tolerated: /does a matching rule exist|Bad rule/,
      });
      if (present === null) await this.iptables(ns, ['-A', from, '-j', to], undefined, table);
    }
  }

  private async replaceChain(ns: string, chain: string, rules: string[]): Promise<void> {
    const current = (await this.natRules(ns)).filter((l) => l.startsWith(`-A ${chain} `));
    if (current.join('\n') === rules.join('\n')) return;
    await this.iptables(ns, ['-F', chain]);
    for (const rule of rules) await this.iptables(ns, splitRule(rule));
  }

  private async iptables(ns: string, args: string[], tolerated?: RegExp, table = 'nat'): Promise<void> {
    await this.run('ip', 'iptables', ['netns', 'exec', ns, 'iptables', '-w', '5', '-t', table, ...args], { tolerated });
  }

  private natRules(ns: string): Promise<string[]> {
    return this.rules(ns, 'nat');
  }

  private async rules(ns: string, table: 'nat' | 'filter'): Promise<string[]> {
    const out = await this.run('ip', 'iptablesSave', ['netns', 'exec', ns, 'iptables-save', '-t', table], { tolerated: /No such file|Cannot open/ });
    return (out ?? '').split('\n').filter((l) => l.startsWith('-A '));
  }

  /** Routers whose namespace is here. */
  private async present(): Promise<string[]> {
    const out = await this.run('ip', 'listNamespaces', ['netns', 'list']);
    return (out ?? '').split('\n').flatMap((line) => ROUTER_NAMESPACE.exec(line.split(' ')[0])?.[1] ?? []);
  }

  private async legRows(routerId: string): Promise<Array<{ name: string; leg: RouterLegSpec }>> {
    const out = await this.run('ovs-vsctl', 'listRouters', [
      '--format=json',
      '--data=json',
      '--columns=name,external_ids',
      'find',
      'Interface',
      `external_ids:orch-router=${routerId}`,
    ]);
    const rows = (JSON.parse(out ?? '{"data":[]}') as { data: Array<[string, ['map', Array<[string, string]>]]> }).data;
    return rows.map(([name, ids]) => ({ name, leg: decode<RouterLegSpec>(ovsMap(ids)['orch-leg'], {} as RouterLegSpec) }));
  }

  private async legsOnBridge(routerId: string): Promise<string[]> {
    return (await this.legRows(routerId)).map((l) => l.name);
  }

  /** Interface name -> its IPv4 addresses (ip/prefix) inside the namespace. */
  private async addressesIn(ns: string): Promise<Map<string, string[]>> {
    const out = await this.run('ip', 'listRouters', ['-n', ns, '-o', '-4', 'addr', 'show']);
    const found = new Map<string, string[]>();
    for (const m of (out ?? '').matchAll(/^\d+:\s+(\S+)\s+inet\s+(\S+)/gm)) found.set(m[1], [...(found.get(m[1]) ?? []), m[2]]);
    return found;
  }
}

/** An iptables-save rule as arguments (its only quoted parts are our comments, which hold no spaces). */
const splitRule = (rule: string) => rule.replace(/"/g, '').split(/\s+/).filter(Boolean);
