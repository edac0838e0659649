import { notFound } from '../../domain/shared/domain-error';
import { canWrite } from '../../domain/shared/roles';
import { forbidden } from '../shared/application-error';
import { Principal, isAdmin } from '../shared/command-context';

/** The project a listing is limited to: none for an admin, the caller's own otherwise. */
export const listingScope = (p: Principal): string | null => (isAdmin(p) ? null : p.projectId);

/** Another project's resource is reported as not found, so that its existence is not revealed. */
export function assertInScope(p: Principal, projectId: string, what: { code: string; message: string }): void {
  if (!isAdmin(p) && p.projectId !== projectId) throw notFound(what.code, what.message);
}

export function assertCanWrite(p: Principal): void {
  if (!canWrite(p.role)) throw forbidden('The reader role cannot change anything');
}

export function assertAdmin(p: Principal): void {
  if (!isAdmin(p)) throw forbidden('Only an admin may do this');
}
