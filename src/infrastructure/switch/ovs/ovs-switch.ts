import { ActualPort, FloatingNat, PortSpec, RouterSpec, SecurityRule, SegmentSpec, SwitchDriver } from '../../../application/network/ports/switch-driver.port';
import { DriverError } from '../../../application/shared/driver-error';
import { flowCookie, gatewayPortName, tapName } from '../../libvirt/names';
import { BASE_FLOWS, securityFlows } from './security-flows';
import { OvsCommands } from './ovs-commands';
import { OvsRouters } from './ovs-routers';
import { decode, encode } from './ovs-values';
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
  private readonly cli: OvsCommands;

  constructor(private readonly settings: OvsSettings) {
    this.cli = new OvsCommands(settings.bridge, () => {
      this.bridgeReady = false;
    });
    this.routers = new OvsRouters(settings.bridge, (file, operation, args, options) => this.cli.output(file, operation, args, options));
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
    await this.cli.vsctl('ensureSegment', [
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
    await this.cli.ip('ensureSegment', ['netns', 'add', ns], /File exists/);
    // ovs-vswitchd (re)creates an internal port in the root namespace: move it where it belongs.
    await this.cli.ip('ensureSegment', ['link', 'set', gw, 'netns', ns], /Cannot find device|not found/);
    // Without a gateway here (none, or a router holds it) the port keeps no address: nothing answers twice.
    if (segment.gateway !== null) await this.cli.ip('ensureSegment', ['-n', ns, 'addr', 'replace', `${segment.gateway}/${prefix}`, 'dev', gw]);
    else await this.cli.ip('ensureSegment', ['-n', ns, 'addr', 'flush', 'dev', gw]);
    await this.cli.ip('ensureSegment', ['-n', ns, 'link', 'set', gw, 'up']);
    await this.cli.ip('ensureSegment', ['-n', ns, 'link', 'set', 'lo', 'up']);
    this.ensured.set(segment.vlan, { key, networkId: segment.networkId, cidr: segment.cidr });
  }

  async removeSegment(networkId: string): Promise<void> {
    const gateways = (await this.cli.interfaces()).filter((i) => i.externalIds['orch-network'] === networkId && i.name.startsWith('gw'));
    for (const gw of gateways) {
      this.ensured.delete(Number(gw.name.slice(2)));
      await this.cli.vsctl('removeSegment', ['--if-exists', 'del-port', this.bridge, gw.name]);
      await this.cli.ip('removeSegment', ['netns', 'delete', gatewayNamespace(Number(gw.name.slice(2)))], /No such file/);
    }
  }

  /** (Re)plugs the tap: a tap opened before it was up (or gone since) passes no traffic on this datapath, so the port is always added afresh. */
  async plugPort(port: PortSpec): Promise<void> {
    await this.ensureBridge();
    const tap = tapName(port.portId);
    const before = await this.cli.interface(tap);
    const keep = before ? ['orch-rules', 'orch-floating-ip'].filter((k) => before.externalIds[k]).map((k) => `external_ids:${k}=${before.externalIds[k]}`) : [];
    // Two transactions: a delete and an add of one name in one transaction does not reopen the tap.
    await this.cli.vsctl('plugPort', ['--if-exists', 'del-port', this.bridge, tap]);
    await this.cli.vsctl('plugPort', [
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
    await this.cli.vsctl('unplugPort', ['--if-exists', 'del-port', this.bridge, tapName(portId)]);
    await this.cli.ofctl('unplugPort', ['del-flows', this.bridge, `cookie=${flowCookie(portId)}/-1`]);
  }

  async applySecurityRules(portId: string, rules: SecurityRule[]): Promise<void> {
    const tap = tapName(portId);
    await this.cli.vsctl('applySecurityRules', ['set', 'Interface', tap, `external_ids:orch-rules=${encode(rules)}`], /no row/);
    await this.installFlows(portId);
  }

  async setFloatingIp(portId: string, nat: FloatingNat | null): Promise<void> {
    const tap = tapName(portId);
    const args = nat
      ? ['set', 'Interface', tap, `external_ids:orch-floating-ip=${encode(nat)}`]
      : ['remove', 'Interface', tap, 'external_ids', 'orch-floating-ip'];
    await this.cli.vsctl('setFloatingIp', args, /no row/);
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
    const [interfaces, tags, cookies, mapped] = await Promise.all([
      this.cli.interfaces(),
      this.cli.portTags(),
      this.cli.flowCookies(),
      this.routers.mappedFloatingIps(),
    ]);
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
    const [interfaces, tags, namespaces] = await Promise.all([this.cli.interfaces(), this.cli.portTags(), this.cli.namespaces()]);
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
    const iface = await this.cli.interface(tap);
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
    await this.cli.ofctl('installFlows', ['--bundle', 'add-flows', this.bridge, '-'], undefined, bundle);
  }

  private async ensureBridge(): Promise<void> {
    if (this.bridgeReady) return;
    await this.cli.vsctl('ensureBridge', ['--may-exist', 'add-br', this.bridge, '--', 'set', 'bridge', this.bridge, 'datapath_type=netdev']);
    await this.untilBridgeAnswers();
    await this.cli.ofctl('ensureBridge', ['add-flows', this.bridge, '-'], undefined, BASE_FLOWS.join('\n') + '\n');
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
        await this.cli.run('ovs-ofctl', 'ensureBridge', ['show', this.bridge]);
        return;
      } catch (error) {
        if (!(error instanceof DriverError && /is not a bridge or a socket/.test(error.message)) || Date.now() > deadline) throw error;
        await sleep(100);
      }
    }
  }
}
