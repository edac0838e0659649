import { ActualPort, FloatingNat, PortSpec, RouterSpec, SecurityRule, SegmentSpec, SwitchDriver } from '../../../application/network/ports/switch-driver.port';
import { DriverError } from '../../../application/shared/driver-error';
import { flowCookie, gatewayPortName, tapName } from '../../libvirt/names';
import { CommandFailed, runCommand } from '../../system/run-command';
import { BASE_FLOWS, securityFlows } from './security-flows';
import { OvsRouters } from './ovs-routers';
import { Interface, Row, decode, encode, ovsValue, toInterface } from './ovs-values';
import { sleep } from '../../../application/shared/sleep';

export type OvsSettings = { bridge: string };

/** A network's gateway lives in a namespace of its own: networks never route into each other through the host. */
export const gatewayNamespace = (vlan: number) => `orch-gw${vlan}`;

/**
 * One host's Open vSwitch integration bridge (userspace datapath: there is no kernel module here).
 * A network is a VLAN with a gateway port (an internal port, addressed, in a namespace of its own);
 * an instance's port is its tap, plugged with the VLAN tag and external ids naming the port, MAC,
 * instance and address; its security groups are OpenFlow rules (see security-flows.ts) replaced
 * atomically in one bundle. A port counts as plugged only when the tap is open (ofport > 0) and its
 * flows are in place, so that one removed or emptied out of band is found missing and plugged again.
 * Routers and their NAT: see OvsRouters; a port's floating IP counts as mapped only while its rule is there.
 */
export class OvsSwitch implements SwitchDriver {
  /**
   * What this process has set up, so that plugging a port (on every spawn and start) does not
   * redo it: the bridge, and each segment (by VLAN) with its CIDR. listSegments() (each
   * reconciler pass) forgets any that is no longer there, so a removed one is set up again.
   */
  private bridgeReady = false;
  private readonly ensured = new Map<number, { key: string; networkId: string; cidr: string }>();

  private readonly routers: OvsRouters;

  constructor(private readonly settings: OvsSettings) {
    this.routers = new OvsRouters(settings.bridge, async (file, operation, args, options = {}) => {
      try {
        return (await this.run(file, operation, args, options.input)).stdout;
      } catch (error) {
        if (options.tolerated && error instanceof DriverError && options.tolerated.test(error.message)) return null;
        throw error;
      }
    });
  }

  private get bridge() {
    return this.settings.bridge;
  }

  async ensureSegment(segment: SegmentSpec): Promise<void> {
    const key = JSON.stringify(segment);
    if (this.ensured.get(segment.vlan)?.key === key) return;
    this.ensured.delete(segment.vlan);
    await this.ensureBridge();
    const gw = gatewayPortName(segment.vlan);
    const ns = gatewayNamespace(segment.vlan);
    const prefix = segment.cidr.split('/')[1];
    await this.vsctl('ensureSegment', [
      '--may-exist',
      'add-port',
      this.bridge,
      gw,
      `tag=${segment.vlan}`,
      '--',
      'set',
      'Interface',
      gw,
      'type=internal',
      `external_ids:orch-network=${segment.networkId}`,
      `external_ids:orch-cidr=${segment.cidr}`,
      `external_ids:orch-gateway=${segment.gateway ?? 'none'}`,
    ]);
    await this.ip('ensureSegment', ['netns', 'add', ns], /File exists/);
    // ovs-vswitchd (re)creates an internal port in the root namespace: move it where it belongs.
    await this.ip('ensureSegment', ['link', 'set', gw, 'netns', ns], /Cannot find device|not found/);
    // Without a gateway here (none, or a router holds it) the port keeps no address: nothing answers twice.
    if (segment.gateway !== null) await this.ip('ensureSegment', ['-n', ns, 'addr', 'replace', `${segment.gateway}/${prefix}`, 'dev', gw]);
    else await this.ip('ensureSegment', ['-n', ns, 'addr', 'flush', 'dev', gw]);
    await this.ip('ensureSegment', ['-n', ns, 'link', 'set', gw, 'up']);
    await this.ip('ensureSegment', ['-n', ns, 'link', 'set', 'lo', 'up']);
    this.ensured.set(segment.vlan, { key, networkId: segment.networkId, cidr: segment.cidr });
  }

  async removeSegment(networkId: string): Promise<void> {
    const gateways = (await this.interfaces()).filter((i) => i.externalIds['orch-network'] === networkId && i.name.startsWith('gw'));
    for (const gw of gateways) {
      this.ensured.delete(Number(gw.name.slice(2)));
      await this.vsctl('removeSegment', ['--if-exists', 'del-port', this.bridge, gw.name]);
      await this.ip('removeSegment', ['netns', 'delete', gatewayNamespace(Number(gw.name.slice(2)))], /No such file/);
    }
  }

  /** (Re)plugs the tap: a tap opened before it was up (or gone since) passes no traffic on this datapath, so the port is always added afresh. */
  async plugPort(port: PortSpec): Promise<void> {
    await this.ensureBridge();
    const tap = tapName(port.portId);
    const before = await this.interface(tap);
    const keep = before ? ['orch-rules', 'orch-floating-ip'].filter((k) => before.externalIds[k]).map((k) => `external_ids:${k}=${before.externalIds[k]}`) : [];
    // Two transactions: a delete and an add of one name in one transaction does not reopen the tap.
    await this.vsctl('plugPort', ['--if-exists', 'del-port', this.bridge, tap]);
    await this.vsctl('plugPort', [
      'add-port',
      this.bridge,
      tap,
      `tag=${port.vlan}`,
      '--',
      'set',
      'Interface',
      tap,
      `external_ids:iface-id=${port.portId}`,
      `external_ids:attached-mac=${port.mac}`,
      `external_ids:vm-id=${port.instanceId}`,
      `external_ids:orch-ip=${port.ip}`,
      `external_ids:orch-network=${port.networkId}`,
      `external_ids:orch-vlan=${port.vlan}`,
      ...keep,
    ]);
    await this.installFlows(port.portId);
  }

  async unplugPort(portId: string): Promise<void> {
    await this.vsctl('unplugPort', ['--if-exists', 'del-port', this.bridge, tapName(portId)]);
    await this.ofctl('unplugPort', ['del-flows', this.bridge, `cookie=${flowCookie(portId)}/-1`]);
  }

  async applySecurityRules(portId: string, rules: SecurityRule[]): Promise<void> {
    const tap = tapName(portId);
    await this.vsctl('applySecurityRules', ['set', 'Interface', tap, `external_ids:orch-rules=${encode(rules)}`], /no row/);
    await this.installFlows(portId);
  }

  async setFloatingIp(portId: string, nat: FloatingNat | null): Promise<void> {
    const tap = tapName(portId);
    const args = nat
      ? ['set', 'Interface', tap, `external_ids:orch-floating-ip=${encode(nat)}`]
      : ['remove', 'Interface', tap, 'external_ids', 'orch-floating-ip'];
    await this.vsctl('setFloatingIp', args, /no row/);
    await this.routers.setFloatingIp(portId, nat);
  }

  ensureRouter(router: RouterSpec): Promise<void> {
    return this.routers.ensure(router);
  }

  removeRouter(routerId: string): Promise<void> {
    return this.routers.remove(routerId);
  }

  listRouters(): Promise<RouterSpec[]> {
    return this.routers.list();
  }

  async listPorts(): Promise<ActualPort[]> {
    const [interfaces, tags, cookies, mapped] = await Promise.all([this.interfaces(), this.portTags(), this.flowCookies(), this.routers.mappedFloatingIps()]);
    // A mapping recorded for a router counts only while the router's rule is there.
    const natOf = (portId: string, recorded: FloatingNat | null) =>
      recorded?.routerId && mapped.get(portId)?.floatingIp !== recorded.floatingIp ? null : recorded;
    return interfaces
      .filter((i) => i.externalIds['iface-id'] && i.ofport > 0 && cookies.has(BigInt(flowCookie(i.externalIds['iface-id']))))
      .map((i) => ({
        portId: i.externalIds['iface-id'],
        instanceId: i.externalIds['vm-id'] ?? null,
        vlan: tags.get(i.name) ?? 0,
        mac: i.externalIds['attached-mac'],
        rules: decode<SecurityRule[]>(i.externalIds['orch-rules'], []),
        nat: natOf(i.externalIds['iface-id'], decode<FloatingNat | null>(i.externalIds['orch-floating-ip'], null)),
      }));
  }

  /** Segments whose gateway port and namespace are both there (one without the other is set up again). */
  async listSegments(): Promise<SegmentSpec[]> {
    const [interfaces, tags, namespaces] = await Promise.all([this.interfaces(), this.portTags(), this.namespaces()]);
    const segments = interfaces
      .filter((i) => i.name.startsWith('gw') && i.externalIds['orch-network'] && namespaces.has(gatewayNamespace(tags.get(i.name) ?? 0)))
      .map((i) => ({
        networkId: i.externalIds['orch-network'],
        vlan: tags.get(i.name) ?? 0,
        cidr: i.externalIds['orch-cidr'],
        gateway: i.externalIds['orch-gateway'] === 'none' ? null : i.externalIds['orch-gateway'],
      }));
    const present = new Set(segments.map((seg) => JSON.stringify(seg)));
    for (const [vlan, { key }] of this.ensured) if (!present.has(key)) this.ensured.delete(vlan);
    return segments;
  }

  /** Replaces a port's flows in one bundle (delete and add at once: never a moment without them). */
  private async installFlows(portId: string): Promise<void> {
    const tap = tapName(portId);
    const iface = await this.interface(tap);
    if (!iface) return;
    const cookie = flowCookie(portId);
    const networkId = iface.externalIds['orch-network'];
    const segment =
      [...this.ensured.values()].find((seg) => seg.networkId === networkId) ?? (await this.listSegments()).find((seg) => seg.networkId === networkId);
    const vlan = Number(iface.externalIds['orch-vlan'] ?? 0);
    const flows = securityFlows(
      {
        cookie,
        ofport: iface.ofport,
        mac: iface.externalIds['attached-mac'],
        ip: iface.externalIds['orch-ip'],
        vlan,
        networkCidr: segment?.cidr ?? `${iface.externalIds['orch-ip']}/32`,
      },
      decode<SecurityRule[]>(iface.externalIds['orch-rules'], []),
    );
    const bundle = [`delete cookie=${cookie}/-1`, ...flows.map((f) => `add ${f}`)].join('\n') + '\n';
    await this.ofctl('installFlows', ['--bundle', 'add-flows', this.bridge, '-'], undefined, bundle);
  }

  private async ensureBridge(): Promise<void> {
    if (this.bridgeReady) return;
    await this.vsctl('ensureBridge', ['--may-exist', 'add-br', this.bridge, '--', 'set', 'bridge', this.bridge, 'datapath_type=netdev']);
    await this.untilBridgeAnswers();
    await this.ofctl('ensureBridge', ['add-flows', this.bridge, '-'], undefined, BASE_FLOWS.join('\n') + '\n');
    this.bridgeReady = true;
  }

  /**
   * ovs-vsctl returns once ovs-vswitchd took the new bridge in, but a freshly started ovs-vswitchd
   * (creating its userspace datapath) opens the bridge's OpenFlow socket a moment later; until then
   * ovs-ofctl says it "is not a bridge or a socket".
   */
  private async untilBridgeAnswers(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.run('ovs-ofctl', 'ensureBridge', ['show', this.bridge]);
        return;
      } catch (error) {
        if (!(error instanceof DriverError && /is not a bridge or a socket/.test(error.message)) || Date.now() > deadline) throw error;
        await sleep(100);
      }
    }
  }

  private async interfaces(): Promise<Interface[]> {
    const rows = await this.table(['list', 'Interface'], ['name', 'ofport', 'external_ids']);
    return rows.map(toInterface);
  }

  private async interface(name: string): Promise<Interface | undefined> {
    const rows = await this.table(['find', 'Interface', `name=${name}`], ['name', 'ofport', 'external_ids']);
    return rows.map(toInterface)[0];
  }

  private async namespaces(): Promise<Set<string>> {
    const { stdout } = await this.run('ip', 'listNamespaces', ['netns', 'list']);
    return new Set(
      stdout
        .split('\n')
        .map((line) => line.split(' ')[0])
        .filter(Boolean),
    );
  }

  private async portTags(): Promise<Map<string, number>> {
    const rows = await this.table(['list', 'Port'], ['name', 'tag']);
    return new Map(rows.map((r) => [String(r.name), typeof r.tag === 'number' ? r.tag : 0]));
  }

  private async flowCookies(): Promise<Set<bigint>> {
    const { stdout } = await this.run('ovs-ofctl', 'dumpFlows', ['dump-flows', this.bridge]);
    return new Set([...stdout.matchAll(/cookie=(0x[0-9a-f]+)/g)].map((m) => BigInt(m[1])));
  }

  /** A table as rows of plain values (ovs-vsctl's JSON: ["set", [...]] and ["map", [[k, v], …]] decoded). */
  private async table(command: string[], columns: string[]): Promise<Row[]> {
    const { stdout } = await this.run('ovs-vsctl', 'list', ['--format=json', '--data=json', `--columns=${columns.join(',')}`, ...command]);
    const parsed = JSON.parse(stdout) as { headings: string[]; data: unknown[][] };
    return parsed.data.map((row) => Object.fromEntries(parsed.headings.map((h, i) => [h, ovsValue(row[i])])));
  }

  private async vsctl(operation: string, args: string[], tolerated?: RegExp): Promise<void> {
    await this.tolerate(this.run('ovs-vsctl', operation, ['--timeout=10', ...args]), tolerated);
  }

  private async ofctl(operation: string, args: string[], tolerated?: RegExp, input?: string): Promise<void> {
    await this.tolerate(this.run('ovs-ofctl', operation, args, input), tolerated);
  }

  private async ip(operation: string, args: string[], tolerated?: RegExp): Promise<void> {
    await this.tolerate(this.run('ip', operation, args), tolerated);
  }

  private async tolerate(call: Promise<unknown>, tolerated?: RegExp): Promise<void> {
    try {
      await call;
    } catch (error) {
      if (!(tolerated && error instanceof DriverError && tolerated.test(error.message))) throw error;
    }
  }

  private async run(file: string, operation: string, args: string[], input?: string) {
    try {
      return await runCommand(file, args, { input, timeoutMs: 30_000 });
    } catch (error) {
      if (!(error instanceof CommandFailed)) throw error;
      this.bridgeReady = false; // something is off: set the bridge up again next time
      const unreachable = /database connection failed|db\.sock|Connection refused|is not a bridge or a socket/.test(error.stderr);
      throw new DriverError(unreachable ? 'unreachable' : 'transient', operation, error.stderr.trim() || error.message);
    }
  }
}
