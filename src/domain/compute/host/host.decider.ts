import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, invalid, notFound, refused } from '../../shared/domain-error';

export type Resources = { readonly vcpus: number; readonly ramMiB: number; readonly diskGiB: number };
export type AllocationRatios = { readonly cpu: number; readonly ram: number; readonly disk: number };
export type HostDriver = 'simulated' | 'libvirt';

/** Nova's defaults: 16 virtual CPUs per physical one, 1.5 times the RAM, disk not overcommitted. */
export const DEFAULT_RATIOS: AllocationRatios = { cpu: 16.0, ram: 1.5, disk: 1.0 };

/**
 * A compute host and the resources claimed on it. A claim is decided against every claim the host
 * holds and appended with the stream's expected version, so two schedulers racing for the last
 * slot cannot both win: the host is never overcommitted beyond its allocation ratios.
 */
export type HostEvent =
  | DomainEvent<
      'HostRegistered',
      { hostId: string; name: string; driver: HostDriver; uri: string | null; zone: string; capacity: Resources; ratios: AllocationRatios; at: string }
    >
  | DomainEvent<'HostEnabled', { hostId: string; at: string }>
  | DomainEvent<'HostDisabled', { hostId: string; reason: string; at: string }>
  | DomainEvent<'ResourcesClaimed', { hostId: string; claimId: string; resources: Resources; at: string }>
  | DomainEvent<'ClaimReleased', { hostId: string; claimId: string; resources: Resources; at: string }>
  /** A standalone compute agent took over the host's instances (until it detaches; a newer agent replaces it). */
  | DomainEvent<'HostAgentAttached', { hostId: string; agentId: string; at: string }>
  /** The agent let go: the orchestrator drives the host's instances again. */
  | DomainEvent<'HostAgentDetached', { hostId: string; agentId: string; at: string }>;

export type HostCommand =
  | {
      type: 'RegisterHost';
      hostId: string;
      name: string;
      driver: HostDriver;
      uri: string | null;
      zone: string;
      capacity: Resources;
      ratios?: Partial<AllocationRatios>;
      now: string;
    }
  | { type: 'EnableHost'; now: string }
  | { type: 'DisableHost'; reason: string; now: string }
  | { type: 'ClaimResources'; claimId: string; resources: Resources; now: string }
  | { type: 'ReleaseClaim'; claimId: string; now: string }
  | { type: 'AttachAgent'; agentId: string; now: string }
  | { type: 'DetachAgent'; agentId: string; now: string };

export type HostState =
  | { status: 'absent' }
  | {
      status: 'registered';
      hostId: string;
      name: string;
      zone: string;
      enabled: boolean;
      capacity: Resources;
      ratios: AllocationRatios;
      claims: Record<string, Resources>;
      /** The standalone agent driving the host, or null when the orchestrator does. */
      agentId: string | null;
    };

export const hostStream = (hostId: string) => `host-${hostId}`;

const ZERO: Resources = { vcpus: 0, ramMiB: 0, diskGiB: 0 };
const add = (a: Resources, b: Resources, sign: 1 | -1 = 1): Resources => ({
  vcpus: a.vcpus + sign * b.vcpus,
  ramMiB: a.ramMiB + sign * b.ramMiB,
  diskGiB: a.diskGiB + sign * b.diskGiB,
});

export const usedResources = (claims: Record<string, Resources>): Resources => Object.values(claims).reduce((sum, r) => add(sum, r), ZERO);

/** What the host can hold in all: physical capacity times the allocation ratios (rounded down). */
export const schedulableCapacity = (capacity: Resources, ratios: AllocationRatios): Resources => ({
  vcpus: Math.floor(capacity.vcpus * ratios.cpu),
  ramMiB: Math.floor(capacity.ramMiB * ratios.ram),
  diskGiB: Math.floor(capacity.diskGiB * ratios.disk),
});

/** What is left to claim on a host. */
export const freeOf = (capacity: Resources, ratios: AllocationRatios, used: Resources): Resources => add(schedulableCapacity(capacity, ratios), used, -1);

export function freeResources(state: Extract<HostState, { status: 'registered' }>): Resources {
  return freeOf(state.capacity, state.ratios, usedResources(state.claims));
}

export const fits = (wanted: Resources, free: Resources) => wanted.vcpus <= free.vcpus && wanted.ramMiB <= free.ramMiB && wanted.diskGiB <= free.diskGiB;

const isCount = (n: number, min: number) => Number.isInteger(n) && n >= min && n <= 1_000_000_000;

function validResources(r: Resources, min: number, field: string): void {
  const bad = (['vcpus', 'ramMiB', 'diskGiB'] as const).filter((k) => !isCount(r[k], min));
  if (bad.length > 0)
    throw invalid(
      'InvalidResources',
      `Invalid ${field}`,
      bad.map((k) => ({ field: `${field}.${k}`, message: `must be an integer >= ${min}` })),
    );
}

export const hostDecider: Decider<HostState, HostCommand, HostEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (command.type === 'RegisterHost') {
      if (state.status !== 'absent') throw conflict('HostExists', `Host ${command.hostId} already exists`);
      validResources(command.capacity, 1, 'capacity');
      const ratios = { ...DEFAULT_RATIOS, ...command.ratios };
      if (!Object.values(ratios).every((r) => typeof r === 'number' && r > 0 && r <= 1000)) {
        throw invalid('InvalidRatios', 'Allocation ratios must be numbers above 0 and at most 1000');
      }
      const { hostId, name, driver, uri, zone, capacity, now } = command;
      return [{ type: 'HostRegistered', data: { hostId, name, driver, uri, zone, capacity, ratios, at: now } }];
    }
    if (state.status === 'absent') throw notFound('HostNotFound', 'Host not found');
    switch (command.type) {
      case 'EnableHost':
        return state.enabled ? [] : [{ type: 'HostEnabled', data: { hostId: state.hostId, at: command.now } }];
      case 'DisableHost':
        return state.enabled ? [{ type: 'HostDisabled', data: { hostId: state.hostId, reason: command.reason, at: command.now } }] : [];
      case 'ClaimResources': {
        if (state.claims[command.claimId]) return []; // the same claim again (a retried saga step)
        validResources(command.resources, 0, 'resources');
        if (!state.enabled) throw conflict('HostDisabled', `Host ${state.name} is disabled`);
        if (!fits(command.resources, freeResources(state))) throw refused('HostFull', `Host ${state.name} lacks the resources for this claim`);
        return [{ type: 'ResourcesClaimed', data: { hostId: state.hostId, claimId: command.claimId, resources: command.resources, at: command.now } }];
      }
      case 'ReleaseClaim': {
        const resources = state.claims[command.claimId];
        if (!resources) return [];
        return [{ type: 'ClaimReleased', data: { hostId: state.hostId, claimId: command.claimId, resources, at: command.now } }];
      }
      case 'AttachAgent':
        return state.agentId === command.agentId
          ? []
          : [{ type: 'HostAgentAttached', data: { hostId: state.hostId, agentId: command.agentId, at: command.now } }];
      case 'DetachAgent':
        // Only the agent in charge lets go: one that was replaced meanwhile changes nothing.
        return state.agentId === command.agentId
          ? [{ type: 'HostAgentDetached', data: { hostId: state.hostId, agentId: command.agentId, at: command.now } }]
          : [];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'HostRegistered': {
        const { hostId, name, zone, capacity, ratios } = event.data;
        return { status: 'registered', hostId, name, zone, enabled: true, capacity, ratios, claims: {}, agentId: null };
      }
      case 'HostEnabled':
        return state.status === 'absent' ? state : { ...state, enabled: true };
      case 'HostDisabled':
        return state.status === 'absent' ? state : { ...state, enabled: false };
      case 'ResourcesClaimed':
        return state.status === 'absent' ? state : { ...state, claims: { ...state.claims, [event.data.claimId]: event.data.resources } };
      case 'ClaimReleased': {
        if (state.status === 'absent') return state;
        const { [event.data.claimId]: _released, ...claims } = state.claims;
        return { ...state, claims };
      }
      case 'HostAgentAttached':
        return state.status === 'absent' ? state : { ...state, agentId: event.data.agentId };
      case 'HostAgentDetached':
        return state.status === 'absent' ? state : { ...state, agentId: null };
      default:
        return assertNever(event);
    }
  },
};
