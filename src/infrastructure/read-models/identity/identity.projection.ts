import { EventCore } from '../../../application/ports/event-store.port';
import { AccessKeyEvent } from '../../../domain/identity/access-key/access-key.decider';
import { ProjectEvent } from '../../../domain/identity/project/project.decider';
import { QuotaResource, addAmounts, zeroUsage } from '../../../domain/identity/quota/quota';
import { TokenEvent } from '../../../domain/identity/token/token.decider';
import { UserEvent } from '../../../domain/identity/user/user.decider';
import { AccessKeyRow, ProjectRow, TokenRow, UserRoleRow, UserRow } from './identity.tables';
import { Projection } from '../../projections/projection';
import { RowFold } from '../../projections/row-fold';
import { RowFolds } from '../../projections/row-folds';

type IdentityEvent = ProjectEvent | UserEvent | TokenEvent | AccessKeyEvent;

const IDENTITY_TYPES = new Set<string>([
  'ProjectCreated',
  'ProjectQuotasUpdated',
  'QuotaReserved',
  'QuotaReleased',
  'UserRegistered',
  'RoleAssigned',
  'RoleRevoked',
  'UserPasswordChanged',
  'UserDisabled',
  'TokenIssued',
  'TokenRevoked',
  'AccessKeyCreated',
  'AccessKeyDeleted',
]);

const PROJECT_TYPES = new Set<string>(['ProjectCreated', 'ProjectQuotasUpdated', 'QuotaReserved', 'QuotaReleased']);
const USER_TYPES = new Set<string>(['UserRegistered', 'RoleAssigned', 'RoleRevoked', 'UserPasswordChanged', 'UserDisabled']);
const TOKEN_TYPES = new Set<string>(['TokenIssued', 'TokenRevoked']);
const ACCESS_KEY_TYPES = new Set<string>(['AccessKeyCreated', 'AccessKeyDeleted']);
const CREATIONS = new Set<string>(['ProjectCreated', 'UserRegistered', 'TokenIssued', 'AccessKeyCreated']);
const creates = (e: IdentityEvent) => CREATIONS.has(e.type);

/** Projects, users and their roles, tokens and access keys, each table folded in memory (see RowFold). */
export const identityProjection: Projection = {
  name: 'identity',
  tables: ['rm_projects', 'rm_users', 'rm_user_roles', 'rm_tokens', 'rm_access_keys'],
  reads: { types: [...IDENTITY_TYPES], prefixes: [] },
  async apply(events: readonly EventCore[], folds: RowFolds) {
    const identityEvents = events.filter((e) => IDENTITY_TYPES.has(e.type)).map((e) => ({ type: e.type, data: e.data }) as IdentityEvent);
    if (identityEvents.length === 0) return;
    const of = <E extends IdentityEvent>(types: ReadonlySet<string>) => identityEvents.filter((e): e is E => types.has(e.type));
    const tables: Folds = {
      projects: await folds.of(ProjectRow).loadFor(of<ProjectEvent>(PROJECT_TYPES), (e) => e.data.projectId, creates),
      users: await folds.of(UserRow).loadFor(of<UserEvent>(USER_TYPES), (e) => e.data.userId, creates),
      // Role rows are replaced or removed whole: nothing to read.
      roles: folds.of(UserRoleRow),
      tokens: await folds.of(TokenRow).loadFor(of<TokenEvent>(TOKEN_TYPES), (e) => e.data.tokenId, creates),
      accessKeys: await folds.of(AccessKeyRow).loadFor(of<AccessKeyEvent>(ACCESS_KEY_TYPES), (e) => e.data.accessKeyId, creates),
    };
    for (const event of identityEvents) applyOne(event, tables);
  },
};

type Folds = {
  projects: RowFold<ProjectRow>;
  users: RowFold<UserRow>;
  roles: RowFold<UserRoleRow>;
  tokens: RowFold<TokenRow>;
  accessKeys: RowFold<AccessKeyRow>;
};

function applyOne(event: IdentityEvent, { projects, users, roles, tokens, accessKeys }: Folds): void {
  switch (event.type) {
    case 'ProjectCreated': {
      const { projectId, name, quotas, at } = event.data;
      projects.put({ id: projectId, name, quotas, usage: zeroUsage(), createdAt: at, updatedAt: at });
      return;
    }
    case 'ProjectQuotasUpdated':
      projects.update(event.data.projectId, (row) => ({ ...row, quotas: event.data.quotas, updatedAt: event.data.at }));
      return;
    case 'QuotaReserved':
    case 'QuotaReleased': {
      const sign = event.type === 'QuotaReserved' ? 1 : -1;
      const { amounts, at } = event.data;
      projects.update(event.data.projectId, (row) => ({ ...row, usage: addAmounts(row.usage as Record<QuotaResource, number>, amounts, sign), updatedAt: at }));
      return;
    }
    case 'UserRegistered': {
      const { userId, name, passwordHash, at } = event.data;
      users.put({ id: userId, name, passwordHash, status: 'active', createdAt: at, updatedAt: at });
      return;
    }
    case 'RoleAssigned':
      roles.put({ userId: event.data.userId, projectId: event.data.projectId, role: event.data.role });
      users.update(event.data.userId, (row) => ({ ...row, updatedAt: event.data.at }));
      return;
    case 'RoleRevoked':
      roles.remove(roles.table.keyOf({ userId: event.data.userId, projectId: event.data.projectId }));
      users.update(event.data.userId, (row) => ({ ...row, updatedAt: event.data.at }));
      return;
    case 'UserPasswordChanged':
      users.update(event.data.userId, (row) => ({ ...row, passwordHash: event.data.passwordHash, updatedAt: event.data.at }));
      return;
    case 'UserDisabled':
      users.update(event.data.userId, (row) => ({ ...row, status: 'disabled', updatedAt: event.data.at }));
      return;
    case 'TokenIssued': {
      const { tokenId, userId, projectId, secretHash, expiresAt, at } = event.data;
      tokens.put({ id: tokenId, userId, projectId, secretHash, expiresAt, revoked: 0, issuedAt: at });
      return;
    }
    case 'TokenRevoked':
      tokens.update(event.data.tokenId, (row) => ({ ...row, revoked: 1 }));
      return;
    case 'AccessKeyCreated': {
      const { accessKeyId, userId, projectId, secretCiphertext, at } = event.data;
      accessKeys.put({ id: accessKeyId, userId, projectId, secretCiphertext, status: 'active', createdAt: at });
      return;
    }
    case 'AccessKeyDeleted':
      accessKeys.update(event.data.accessKeyId, (row) => ({ ...row, status: 'deleted' }));
      return;
  }
}
