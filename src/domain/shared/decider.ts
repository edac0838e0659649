/** An event as the domain knows it: a discriminated union member, no envelope. */
export type DomainEvent<T extends string = string, D = unknown> = { readonly type: T; readonly data: D };

/**
 * An aggregate as three pure functions (the Decider pattern).
 * `decide` throws a DomainError for an invalid command; `evolve` is total.
 */
export type Decider<S, C, E extends DomainEvent> = {
  readonly initialState: () => S;
  readonly decide: (command: C, state: S) => E[];
  readonly evolve: (state: S, event: E) => S;
};

export const fold = <S, E extends DomainEvent>(decider: Pick<Decider<S, never, E>, 'initialState' | 'evolve'>, events: readonly E[]): S =>
  events.reduce(decider.evolve, decider.initialState());

export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}

/**
 * The types of an event union as a list, from a record that must name each of them exactly once:
 * a type missing from it, or one the union does not have, is a compile error.
 */
export const eventTypesOf = <E extends { type: string }>(all: Record<E['type'], true>): readonly E['type'][] => Object.keys(all) as E['type'][];
