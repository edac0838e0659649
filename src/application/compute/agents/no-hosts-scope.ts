import { HostScope } from '../ports/host-scope.port';

/** The scope of a process that drives no host (the relay, the billing consumer). */
export const NO_HOSTS: HostScope = {
  storage: false,
  drives: () => false,
  onTakeOver: () => undefined,
  start: async () => undefined,
  stop: async () => undefined,
};
