/**
 * What a process of the orchestrator is: the orchestrator itself (HTTP API, projections, scheduling,
 * every host no agent has taken over, and by default the relay and billing), a standalone compute
 * agent for one host, or the relay or the billing consumer on their own.
 */
export type ProcessRole = { kind: 'orchestrator' } | { kind: 'agent'; host: string } | { kind: 'relay' } | { kind: 'billing' };

export const PROCESS_ROLE = Symbol('ProcessRole');
