import { CommandContext } from '../../shared/command-context';

export const NO_WAIT = { waitForReadModels: false };

/** What the reconciler records is its own doing, correlated by host. */
export const reconcilerContext = (hostId: string): CommandContext => ({
  principal: 'system:reconciler',
  projectId: null,
  requestId: null,
  correlationId: `reconcile-${hostId}`,
  causationId: null,
});
