import { Decider, DomainEvent, assertNever } from '../../shared/decider';

/** What the reconciler finds on a host that nothing accounts for (a segment: a deleted network's gateway and VLAN). */
export type OrphanKind = 'domain' | 'port' | 'segment' | 'router' | 'volume' | 'snapshot';

export type OrphanEvent =
  | DomainEvent<'OrphanFound', { hostId: string; kind: OrphanKind; id: string; at: string }>
  | DomainEvent<'OrphanRemoved', { hostId: string; kind: OrphanKind; id: string; at: string }>
  | DomainEvent<'OrphanVanished', { hostId: string; kind: OrphanKind; id: string; at: string }>;

export type OrphanCommand =
  | { type: 'RecordSeen'; hostId: string; kind: OrphanKind; id: string; now: string }
  | { type: 'RecordRemoved'; kind: OrphanKind; id: string; now: string }
  /** The orphan is not there any more (or became known): stop tracking it. */
  | { type: 'RecordGone'; kind: OrphanKind; id: string; now: string };

export type OrphanState = { hostId: string | null; orphans: Record<string, { kind: OrphanKind; id: string; since: string }> };

export const orphansStream = (hostId: string) => `orphans-${hostId}`;
const key = (kind: OrphanKind, id: string) => `${kind}:${id}`;

/**
 * What a host has that the orchestrator does not know about: domains, switch ports, volumes.
 * Found orphans are recorded, removed after a grace period, and each step is an event, so the
 * log shows everything the orchestrator did on its own.
 */
export const orphanDecider: Decider<OrphanState, OrphanCommand, OrphanEvent> = {
  initialState: () => ({ hostId: null, orphans: {} }),
  decide(command, state) {
    switch (command.type) {
      case 'RecordSeen':
        if (state.orphans[key(command.kind, command.id)]) return [];
        return [{ type: 'OrphanFound', data: { hostId: command.hostId, kind: command.kind, id: command.id, at: command.now } }];
      case 'RecordRemoved':
      case 'RecordGone': {
        if (!state.orphans[key(command.kind, command.id)] || !state.hostId) return [];
        const type = command.type === 'RecordRemoved' ? 'OrphanRemoved' : 'OrphanVanished';
        return [{ type, data: { hostId: state.hostId, kind: command.kind, id: command.id, at: command.now } }];
      }
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'OrphanFound':
        return {
          hostId: event.data.hostId,
          orphans: { ...state.orphans, [key(event.data.kind, event.data.id)]: { kind: event.data.kind, id: event.data.id, since: event.data.at } },
        };
      case 'OrphanRemoved':
      case 'OrphanVanished': {
        const { [key(event.data.kind, event.data.id)]: _gone, ...orphans } = state.orphans;
        return { ...state, orphans };
      }
      default:
        return assertNever(event);
    }
  },
};

/** Orphans tracked for at least `graceMs` at `now` (an ISO instant). */
export function orphansDue(state: OrphanState, now: string, graceMs: number) {
  return Object.values(state.orphans).filter((o) => Date.parse(now) - Date.parse(o.since) >= graceMs);
}
