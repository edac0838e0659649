import { Authenticator } from '../../application/identity/authenticator';
import { forbidden, unauthenticated } from '../../application/shared/application-error';
import { Principal } from '../../application/shared/command-context';
import { canWrite } from '../../domain/shared/roles';

/**
 * What a call needs: `public` (no credentials), `authenticated` (any role), `read`, `write`
 * (admin or member) or `admin`.
 */
export type AccessLevel = 'public' | 'authenticated' | 'read' | 'write' | 'admin';

/**
 * The one access check of every transport: the bearer credential (`Bearer <token>`, as REST's
 * Authorization header and gRPC's `authorization` metadata carry it) authenticated, the role checked
 * against the level. Null for a public call. Use cases check again; project scoping is theirs alone.
 */
export async function authorize(authenticator: Authenticator, level: AccessLevel, authorization: unknown): Promise<Principal | null> {
  if (level === 'public') return null;
  const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!match) throw unauthenticated();
  const principal = await authenticator.authenticate(match[1]);
  if (level === 'admin' && principal.role !== 'admin') throw forbidden('Only an admin may do this');
  if (level === 'write' && !canWrite(principal.role)) throw forbidden('The reader role cannot change anything');
  return principal;
}
