import { Page, PageRequest } from '../../shared/paging';
import { QuotaResource, Quotas } from '../../../domain/identity/quota/quota';
import { Role } from '../../../domain/shared/roles';

export type ProjectView = {
  id: string;
  name: string;
  quotas: Quotas;
  usage: Record<QuotaResource, number>;
  createdAt: string;
  updatedAt: string;
};

export type UserView = {
  id: string;
  name: string;
  status: 'active' | 'disabled';
  roles: Array<{ projectId: string; role: Role }>;
  createdAt: string;
  updatedAt: string;
};

export type UserCredentials = { id: string; name: string; status: string; passwordHash: string };
export type TokenRecord = { id: string; userId: string; projectId: string; secretHash: string; expiresAt: string; revoked: boolean };
export type TokenGrant = { token: TokenRecord; userName: string; userStatus: string; role: Role | null };
export type AccessKeyView = { accessKeyId: string; userId: string; projectId: string; status: string; createdAt: string };
export type AccessKeyRecord = AccessKeyView & { secretCiphertext: string };
/** An access key with what authenticating it needs of its user, in one read (as TokenGrant for a token). */
export type AccessKeyGrant = { key: AccessKeyRecord; userName: string; userStatus: string; role: Role | null };

/** Queries over Identity's read models. `projectId` scopes a listing to one project; null means all. */
export interface IdentityReadModel {
  getProject(id: string): Promise<ProjectView | null>;
  findProjectByName(name: string): Promise<ProjectView | null>;
  listProjects(projectId: string | null, page: PageRequest): Promise<Page<ProjectView>>;
  getUser(id: string): Promise<UserView | null>;
  findCredentials(user: { name: string } | { id: string }): Promise<UserCredentials | null>;
  listUsers(projectId: string | null, page: PageRequest): Promise<Page<UserView>>;
  roleOf(userId: string, projectId: string): Promise<Role | null>;
  getToken(id: string): Promise<TokenRecord | null>;
  /** A token with its user and the user's role in the token's project, in one read (every request asks this). */
  getTokenGrant(id: string): Promise<TokenGrant | null>;
  getAccessKey(id: string): Promise<AccessKeyRecord | null>;
  getAccessKeyGrant(id: string): Promise<AccessKeyGrant | null>;
  listAccessKeys(userId: string | null, page: PageRequest): Promise<Page<AccessKeyView>>;
}
export const IDENTITY_READ_MODEL = Symbol('IdentityReadModel');
