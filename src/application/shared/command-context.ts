import { Role } from '../../domain/shared/roles';

/** The authenticated caller of a request. */
export type Principal = {
  readonly userId: string;
  readonly userName: string;
  readonly projectId: string;
  readonly role: Role;
  readonly tokenId: string | null;
};

/** Who asks, and the request it belongs to; becomes the metadata of the events it causes. */
export type CommandContext = {
  readonly principal: string;
  readonly projectId: string | null;
  readonly requestId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
};

export const isAdmin = (p: Principal) => p.role === 'admin';

export function contextOf(principal: Principal, requestId: string | null): CommandContext {
  return {
    principal: principal.userId,
    projectId: principal.projectId,
    requestId,
    correlationId: requestId ?? principal.tokenId ?? principal.userId,
    causationId: null,
  };
}

export const systemContext = (reason: string): CommandContext => ({
  principal: 'system',
  projectId: null,
  requestId: null,
  correlationId: reason,
  causationId: null,
});
