import { ActualPort, PortSpec, SecurityRule, SegmentSpec, SwitchDriver } from '../../../application/network/ports/switch-driver.port';
import { Simulation, SimulationSettings } from '../../simulation/simulation';

/** An in-memory virtual switch with its own actual state (segments, plugged ports and their rules). */
export class SimulatedSwitch implements SwitchDriver {
  readonly simulation: Simulation;
  private readonly segments = new Map<string, SegmentSpec>();
  private readonly ports = new Map<string, ActualPort>();

  onChange: () => void = () => undefined;

  constructor(settings: SimulationSettings = {}) {
    this.simulation = new Simulation(settings);
  }

  exportState(): { segments: SegmentSpec[]; ports: ActualPort[] } {
    return { segments: [...this.segments.values()], ports: [...this.ports.values()] };
  }

  importState(state: { segments: SegmentSpec[]; ports: ActualPort[] }): void {
    for (const s of state.segments) this.segments.set(s.networkId, s);
    for (const p of state.ports) this.ports.set(p.portId, { ...p, instanceId: p.instanceId ?? null, floatingIp: p.floatingIp ?? null });
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
      floatingIp: this.ports.get(port.portId)?.floatingIp ?? null,
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

  async setFloatingIp(portId: string, floatingIp: string | null): Promise<void> {
    await this.simulation.operation('setFloatingIp');
    const port = this.ports.get(portId);
    if (port) port.floatingIp = floatingIp;
    this.onChange();
  }

  async listPorts(): Promise<ActualPort[]> {
    await this.simulation.operation('listPorts');
    return [...this.ports.values()].map((p) => ({ ...p, rules: [...p.rules] }));
  }

  async listSegments(): Promise<SegmentSpec[]> {
    await this.simulation.operation('listSegments');
    return [...this.segments.values()];
  }

  /** Someone removed the port from the bridge by hand. */
  removePortOutOfBand(portId: string): void {
    this.ports.delete(portId);
    this.onChange();
  }
}
