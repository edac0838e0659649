import { ProjectView, UserView } from '../../../application/identity/ports/identity-read-model.port';
import { Role } from '../../../domain/shared/roles';
import { DEFAULT_DOMAIN } from './keystone-auth-request';

/** Keystone's resources as its v3 API shows them; ids are ours, roles are named and identified by our role names. */
export const keystoneProject = (p: ProjectView, base: string) => ({
  id: p.id,
  name: p.name,
  domain_id: DEFAULT_DOMAIN.id,
  description: '',
  enabled: true,
  is_domain: false,
  parent_id: DEFAULT_DOMAIN.id,
  tags: [],
  options: {},
  links: { self: `${base}/identity/v3/projects/${p.id}` },
});

export const keystoneUser = (u: UserView, base: string) => ({
  id: u.id,
  name: u.name,
  domain_id: DEFAULT_DOMAIN.id,
  enabled: u.status === 'active',
  default_project_id: u.roles[0]?.projectId ?? null,
  password_expires_at: null,
  options: {},
  links: { self: `${base}/identity/v3/users/${u.id}` },
});

export const keystoneRole = (role: Role, base: string) => ({
  id: role,
  name: role,
  domain_id: null,
  description: null,
  options: {},
  links: { self: `${base}/identity/v3/roles/${role}` },
});

export const keystoneDomain = (base: string) => ({
  ...DEFAULT_DOMAIN,
  description: 'The default domain',
  enabled: true,
  tags: [],
  options: {},
  links: { self: `${base}/identity/v3/domains/${DEFAULT_DOMAIN.id}` },
});

export const listLinks = (base: string, path: string) => ({ self: `${base}/identity/v3/${path}`, previous: null, next: null });
