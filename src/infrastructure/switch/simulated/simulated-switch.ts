import { ActualPort, PortSpec, SecurityRule, SegmentSpec, SwitchDriver } from '../../../application/network/ports/switch-driver.port';
import { Simulation, SimulationSettings } from '../../simulation/simulation';

/** An in-memory virtual switch with its own actual state (segments, plugged ports and their rules). */
export class SimulatedSwitch implements SwitchDriver {
  readonly simulation: Simulation;
  private readonly segments = new Map<string, SegmentSpec>();
  private readonly ports = new Map<string, ActualPort>();

  constructor(settings: SimulationSettings = {}) {
    this.simulation = new Simulation(settings);
  }

  async ensureSegment(segment: SegmentSpec): Promise<void> {
    await this.simulation.operation('ensureSegment');
    this.segments.set(segment.networkId, { ...segment });
  }

  async removeSegment(networkId: string): Promise<void> {
    await this.simulation.operation('removeSegment');
    this.segments.delete(networkId);
  }

  async plugPort(port: PortSpec): Promise<void> {
    await this.simulation.operation('plugPort');
    const rules = this.ports.get(port.portId)?.rules ?? [];
    this.ports.set(port.portId, { portId: port.portId, vlan: port.vlan, mac: port.mac, rules });
  }

  async unplugPort(portId: string): Promise<void> {
    await this.simulation.operation('unplugPort');
    this.ports.delete(portId);
  }

  async applySecurityRules(portId: string, rules: SecurityRule[]): Promise<void> {
    await this.simulation.operation('applySecurityRules');
    const port = this.ports.get(portId);
    if (port) port.rules = rules.map((r) => ({ ...r }));
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
  }
}
