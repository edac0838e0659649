import { ActualDomain, DomainSpec, HypervisorDriver, LifecycleEvent } from '../../../application/compute/ports/hypervisor-driver.port';
import { DriverError } from '../../../application/shared/driver-error';
import { PowerState } from '../../../domain/compute/instance/instance-states';
import { Simulation, SimulationSettings } from '../../simulation/simulation';

type Domain = { spec: DomainSpec; power: PowerState };

/**
 * An in-memory hypervisor (like Nova's fake driver) whose domains live apart from the
 * orchestrator's idea of them, so that reconcilers have real drift to find. Besides latency and
 * injected faults it can lose a domain on its own (`killDomain`) or gain one out of band.
 */
export class SimulatedHypervisor implements HypervisorDriver {
  readonly simulation: Simulation;
  private readonly domains = new Map<string, Domain>();
  private readonly listeners = new Set<(event: LifecycleEvent) => void>();
  private readonly readyWaiters = new Map<string, Array<() => void>>();
  /** Called after every change of actual state (used to persist it, see SimulatedHostDrivers). */
  onChange: () => void = () => undefined;

  constructor(settings: SimulationSettings = {}) {
    this.simulation = new Simulation(settings);
  }

  exportState(): Array<{ spec: DomainSpec; power: PowerState }> {
    return [...this.domains.values()].map((d) => ({ spec: d.spec, power: d.power }));
  }

  /** Replaces the actual state with `state` (as exported). */
  importState(domains: Array<{ spec: DomainSpec; power: PowerState }>): void {
    this.domains.clear();
    for (const d of domains) this.domains.set(d.spec.instanceId, { spec: d.spec, power: d.power });
  }

  async define(spec: DomainSpec): Promise<void> {
    await this.simulation.operation('define');
    const existing = this.domains.get(spec.instanceId);
    this.domains.set(spec.instanceId, { spec, power: existing?.power ?? 'shutdown' });
    this.onChange();
  }

  async start(instanceId: string, options: { paused?: boolean } = {}): Promise<void> {
    await this.simulation.operation('start');
    const domain = this.require(instanceId, 'start');
    if (domain.power === 'running' || domain.power === 'paused') return;
    domain.power = options.paused ? 'paused' : 'running';
    this.onChange();
    this.emit(instanceId, 'started');
    if (!options.paused) this.wakeReadyWaiters(instanceId);
  }

  async resume(instanceId: string): Promise<void> {
    await this.simulation.operation('resume');
    const domain = this.require(instanceId, 'resume');
    if (domain.power !== 'paused') return;
    domain.power = 'running';
    this.onChange();
    this.wakeReadyWaiters(instanceId);
  }

  private wakeReadyWaiters(instanceId: string): void {
    for (const wake of this.readyWaiters.get(instanceId) ?? []) wake();
    this.readyWaiters.delete(instanceId);
  }

  async shutdown(instanceId: string, _timeoutMs: number): Promise<'graceful' | 'forced'> {
    await this.simulation.operation('shutdown');
    const domain = this.require(instanceId, 'shutdown');
    if (domain.power !== 'running') return 'graceful';
    domain.power = 'shutdown';
    this.onChange();
    this.emit(instanceId, 'stopped');
    return 'graceful';
  }

  async destroy(instanceId: string): Promise<void> {
    await this.simulation.operation('destroy');
    const domain = this.domains.get(instanceId);
    if (!domain || domain.power === 'shutdown') return;
    domain.power = 'shutdown';
    this.onChange();
    this.emit(instanceId, 'stopped');
  }

  async reboot(instanceId: string, type: 'soft' | 'hard'): Promise<void> {
    await this.simulation.operation('reboot');
    const domain = this.require(instanceId, 'reboot');
    if (domain.power !== 'running' && type === 'soft') throw new DriverError('invalid', 'reboot', 'a soft reboot needs a running guest');
    domain.power = 'running';
    this.onChange();
    this.emit(instanceId, 'rebooted');
  }

  async undefine(instanceId: string): Promise<void> {
    await this.simulation.operation('undefine');
    const domain = this.domains.get(instanceId);
    if (!domain) return;
    if (domain.power === 'running') throw new DriverError('invalid', 'undefine', 'destroy the running guest first');
    this.domains.delete(instanceId);
    this.onChange();
    this.emit(instanceId, 'undefined');
  }

  async waitUntilReady(instanceId: string, timeoutMs: number): Promise<boolean> {
    await this.simulation.operation('waitUntilReady');
    if (this.domains.get(instanceId)?.power === 'running') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      const waiters = this.readyWaiters.get(instanceId) ?? [];
      waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
      this.readyWaiters.set(instanceId, waiters);
    });
  }

  /** A simulated guest prints nothing. */
  async consoleOutput(): Promise<string> {
    return '';
  }

  async list(): Promise<ActualDomain[]> {
    await this.simulation.operation('list');
    return [...this.domains.entries()].map(([instanceId, d]) => ({ instanceId, powerState: d.power }));
  }

  onLifecycle(listener: (event: LifecycleEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- fault injection: things that happen to real hosts without the orchestrator asking ---

  /** The guest dies on its own (a crash, an OOM kill, `virsh destroy` by someone). */
  killDomain(instanceId: string, power: PowerState = 'crashed'): void {
    const domain = this.domains.get(instanceId);
    if (!domain) return;
    domain.power = power;
    this.onChange();
    this.emit(instanceId, power === 'crashed' ? 'crashed' : 'stopped');
  }

  /** A domain appears that the orchestrator did not create. */
  defineOutOfBand(spec: DomainSpec, power: PowerState = 'running'): void {
    this.domains.set(spec.instanceId, { spec, power });
    this.onChange();
  }

  /** The domain vanishes entirely (its definition deleted behind our back). */
  forgetDomain(instanceId: string): void {
    this.domains.delete(instanceId);
    this.onChange();
  }

  private require(instanceId: string, operation: string): Domain {
    const domain = this.domains.get(instanceId);
    if (!domain) throw new DriverError('not_found', operation, `no domain ${instanceId}`);
    return domain;
  }

  private emit(instanceId: string, kind: LifecycleEvent['kind']): void {
    const event = { instanceId, kind, at: new Date().toISOString() };
    for (const listener of this.listeners) listener(event);
  }
}
