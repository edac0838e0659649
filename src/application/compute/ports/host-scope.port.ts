/**
 * Which hosts' instances, ports and drivers this process drives. The orchestrator drives every host
 * that no standalone compute agent has taken over (and the scheduling of every instance, and the
 * shared block storage); an agent (`npm run agent -- --host <name>`) drives its own host only.
 */
export interface HostScope {
  /** Whether this process drives work on the host (null: not placed on a host yet). */
  drives(hostId: string | null): boolean;
  /** Whether this process reconciles the shared block storage. */
  readonly storage: boolean;
  /** Called when a host comes back to this process (its agent let go): its unfinished work is to be picked up. */
  onTakeOver(listener: (hostId: string) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
export const HOST_SCOPE = Symbol('HostScope');
