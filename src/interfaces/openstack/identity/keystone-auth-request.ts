import { invalid } from '../../../domain/shared/domain-error';
import { unauthenticated } from '../../../application/shared/application-error';
import { isObject } from '../shared/openstack-body';

/** A Keystone v3 `POST /auth/tokens` body, read: who (a password or a token) and where (a project, or none). */
export type KeystoneAuthRequest = {
  identity: { method: 'password'; user: { name: string } | { id: string }; password: string } | { method: 'token'; token: string };
  /** A project id or name; null when unscoped (the user's first project is taken, as Keystone takes a default project). */
  project: string | null;
};

/** The one domain there is: `Default`, id `default`. */
export const DEFAULT_DOMAIN = { id: 'default', name: 'Default' } as const;

const bad = (message: string) => invalid('BadRequest', message);
const text = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > 255) throw bad(`${field} must be a non-empty string`);
  return v;
};

/** A domain named by id or name must be the default one; any other is a failed authentication, as Keystone answers it. */
function assertDefaultDomain(domain: unknown): void {
  if (domain === undefined) return;
  if (!isObject(domain)) throw bad('domain must be an object');
  if (domain.id !== undefined && domain.id !== DEFAULT_DOMAIN.id) throw unauthenticated();
  if (domain.name !== undefined && domain.name !== DEFAULT_DOMAIN.name) throw unauthenticated();
}

function userOf(user: unknown): { name: string } | { id: string } {
  if (!isObject(user)) throw bad('auth.identity.password.user must be an object');
  if (user.id !== undefined) return { id: text(user.id, 'user.id') };
  assertDefaultDomain(user.domain);
  return { name: text(user.name, 'user.name') };
}

function projectOf(scope: unknown): string | null {
  if (scope === undefined || scope === 'unscoped') return null;
  if (!isObject(scope)) throw bad('auth.scope must be an object');
  if (scope.project === undefined) throw bad('Only project scopes are supported (no domain or system scope)');
  const project = scope.project;
  if (!isObject(project)) throw bad('auth.scope.project must be an object');
  if (project.id !== undefined) return text(project.id, 'project.id');
  assertDefaultDomain(project.domain);
  return text(project.name, 'project.name');
}

export function parseAuthRequest(body: unknown): KeystoneAuthRequest {
  const auth = isObject(body) ? body.auth : undefined;
  if (!isObject(auth) || !isObject(auth.identity)) throw bad('Expected {"auth": {"identity": {...}}}');
  const { identity } = auth;
  const methods = identity.methods;
  if (!Array.isArray(methods) || methods.length === 0) throw bad('auth.identity.methods must list password or token');
  const project = projectOf(auth.scope);
  if (methods.includes('password')) {
    const password = identity.password;
    if (!isObject(password)) throw bad('auth.identity.password must be an object');
    if (typeof password.user !== 'object') throw bad('auth.identity.password.user is required');
    const user = password.user as Record<string, unknown>;
    return { identity: { method: 'password', user: userOf(user), password: text(user?.password, 'user.password') }, project };
  }
  if (methods.includes('token')) {
    const token = identity.token;
    if (!isObject(token)) throw bad('auth.identity.token must be an object');
    return { identity: { method: 'token', token: text(token.id, 'token.id') }, project };
  }
  throw bad(`Unsupported authentication methods: ${methods.map(String).join(', ')}`);
}
