import { ActualPort, FloatingNat, PortSpec, RouterSpec, SecurityRule, SegmentSpec, SwitchDriver } from '../../../application/network/ports/switch-driver.port';
import { Simulation, SimulationSettings } from '../../simulation/simulation';

type SwitchState = { segments: SegmentSpec[]; ports: ActualPort[]; routers?: RouterSpec[] };

/** An in-memory virtual switch with its own actual state (segments, plugged ports and their rules and NAT, routers). */
export class SimulatedSwitch implements SwitchDriver {
  readonly simulation: Simulation;
  private readonly segments = new Map<string, SegmentSpec>();
  private readonly ports = new Map<string, ActualPort>();
  private readonly routers = new Map<string, RouterSpec>();

  onChange: () => void = () => undefined;

  constructor(settings: SimulationSettings = {}) {
    this.simulation = new Simulation(settings);
  }

  exportState(): SwitchState {
    return { segments: [...this.segments.values()], ports: [...this.ports.values()], routers: [...this.routers.values()] };
  }

  /** Replaces the actual state with `state` (as exported). */
  importState(state: SwitchState): void {
    this.segments.clear();
    this.ports.clear();
    this.routers.clear();
    for (const s of state.segments) this.segments.set(s.networkId, s);
    for (const p of state.ports) this.ports.set(p.portId, { ...p, instanceId: p.instanceId ?? null, nat: p.nat ?? null });
    for (const r of state.routers ?? []) this.routers.set(r.routerId, r);
  }

  async ensureSegment(segment: SegmentSpec): Promise<void> {
    await this.simulation.operation('ensureSegment');
    this.segments.set(segment.networkId, { ...segment });
    this.onChange();
  }

  async removeSegment(networkId: string): Promise<void> {
    await this.simulation.operation('removeSegment');
    this.segments.delete(networkId);
    this.onChange();
  }

  async plugPort(port: PortSpec): Promise<void> {
    await this.simulation.operation('plugPort');
    const rules = this.ports.get(port.portId)?.rules ?? [];
    this.ports.set(port.portId, {
      portId: port.portId,
      instanceId: port.instanceId,
      vlan: port.vlan,
      mac: port.mac,
      rules,
      nat: this.ports.get(port.portId)?.nat ?? null,
    });
    this.onChange();
  }

  async unplugPort(portId: string): Promise<void> {
    await this.simulation.operation('unplugPort');
    this.ports.delete(portId);
    this.onChange();
  }

  async applySecurityRules(portId: string, rules: SecurityRule[]): Promise<void> {
    await this.simulation.operation('applySecurityRules');
    const port = this.ports.get(portId);
    if (port) port.rules = rules.map((r) => ({ ...r }));
    this.onChange();
  }

  async setFloatingIp(portId: string, nat: FloatingNat | null): Promise<void> {
    await this.simulation.operation('setFloatingIp');
    const port = this.ports.get(portId);
    if (port) port.nat = nat && { ...nat };
    this.onChange();
  }

  async ensureRouter(router: RouterSpec): Promise<void> {
    await this.simulation.operation('ensureRouter');
    this.routers.set(router.routerId, { ...router, legs: router.legs.map((l) => ({ ...l })) });
    this.onChange();
  }

  async removeRouter(routerId: string): Promise<void> {
    await this.simulation.operation('removeRouter');
    this.routers.delete(routerId);
    this.onChange();
  }

  async listRouters(): Promise<RouterSpec[]> {
    await this.simulation.operation('listRouters');
    return [...this.routers.values()].map((r) => ({ ...r, legs: r.legs.map((l) => ({ ...l })) }));
  }

  async listPorts(): Promise<ActualPort[]> {
    await this.simulation.operation('listPorts');
    return [...this.ports.values()].map((p) => ({ ...p, rules: [...p.rules] }));
  }

  async listSegments(): Promise<SegmentSpec[]> {
    await this.simulation.operation('listSegments');
    return [...this.segments.values()];
  }

  /** Someone removed a router's leg by hand. */
  removeRouterLegOutOfBand(routerId: string, portId: string): void {
    const router = this.routers.get(routerId);
    if (router) router.legs = router.legs.filter((l) => l.portId !== portId);
    this.onChange();
  }

  /** Someone removed the port from the bridge by hand. */
  removePortOutOfBand(portId: string): void {
    this.ports.delete(portId);
    this.onChange();
  }
}
