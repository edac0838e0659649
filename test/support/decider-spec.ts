import { Decider, DomainEvent, fold } from '../../src/domain/shared/decider';

/** given(events).when(command).then(events) / .thenThrows(code): the decider's behaviour, no I/O. */
export function specFor<S, C, E extends DomainEvent>(decider: Decider<S, C, E>) {
  return {
    given: (events: E[]) => ({
      when: (command: C) => {
        const run = () => decider.decide(command, fold(decider, events));
        return {
          then: (expected: E[]) => expect(run()).toEqual(expected),
          thenThrows: (code: string) => expect(run).toThrow(expect.objectContaining({ code })),
        };
      },
    }),
  };
}
