import { RecordedEvent } from '../../application/ports/event-store.port';
import { AccessKeyEvent } from '../../domain/identity/access-key/access-key.decider';
import { ProjectEvent } from '../../domain/identity/project/project.decider';
import { QuotaResource, addAmounts, zeroUsage } from '../../domain/identity/quota/quota';
import { TokenEvent } from '../../domain/identity/token/token.decider';
import { UserEvent } from '../../domain/identity/user/user.decider';
import { Tx } from '../persistence/database';
import { AccessKeyRow, ProjectRow, TokenRow, UserRoleRow, UserRow } from '../persistence/read-model.entities';
import { Projection } from './projection';

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

/** Projects, users and their roles, tokens and access keys. */
export const identityProjection: Projection = {
  name: 'identity',
  tables: ['rm_projects', 'rm_users', 'rm_user_roles', 'rm_tokens', 'rm_access_keys'],
  async apply(events: readonly RecordedEvent[], tx: Tx) {
    for (const recorded of events) {
      if (!IDENTITY_TYPES.has(recorded.type)) continue;
      await applyOne({ type: recorded.type, data: recorded.data } as IdentityEvent, tx);
    }
  },
};

async function applyOne(event: IdentityEvent, { manager }: Tx): Promise<void> {
  switch (event.type) {
    case 'ProjectCreated': {
      const { projectId, name, quotas, at } = event.data;
      await manager.insert(ProjectRow, { id: projectId, name, quotas, usage: zeroUsage(), createdAt: at, updatedAt: at });
      return;
    }
    case 'ProjectQuotasUpdated':
      await manager.update(ProjectRow, { id: event.data.projectId }, { quotas: event.data.quotas, updatedAt: event.data.at });
      return;
    case 'QuotaReserved':
    case 'QuotaReleased': {
      const row = await manager.findOneBy(ProjectRow, { id: event.data.projectId });
      if (!row) return;
      const usage = addAmounts(row.usage as Record<QuotaResource, number>, event.data.amounts, event.type === 'QuotaReserved' ? 1 : -1);
      await manager.update(ProjectRow, { id: row.id }, { usage, updatedAt: event.data.at });
      return;
    }
    case 'UserRegistered': {
      const { userId, name, passwordHash, at } = event.data;
      await manager.insert(UserRow, { id: userId, name, passwordHash, status: 'active', createdAt: at, updatedAt: at });
      return;
    }
    case 'RoleAssigned':
      await manager.upsert(UserRoleRow, { userId: event.data.userId, projectId: event.data.projectId, role: event.data.role }, ['userId', 'projectId']);
      await manager.update(UserRow, { id: event.data.userId }, { updatedAt: event.data.at });
      return;
    case 'RoleRevoked':
      await manager.delete(UserRoleRow, { userId: event.data.userId, projectId: event.data.projectId });
      await manager.update(UserRow, { id: event.data.userId }, { updatedAt: event.data.at });
      return;
    case 'UserPasswordChanged':
      await manager.update(UserRow, { id: event.data.userId }, { passwordHash: event.data.passwordHash, updatedAt: event.data.at });
      return;
    case 'UserDisabled':
      await manager.update(UserRow, { id: event.data.userId }, { status: 'disabled', updatedAt: event.data.at });
      return;
    case 'TokenIssued': {
      const { tokenId, userId, projectId, secretHash, expiresAt, at } = event.data;
      await manager.insert(TokenRow, { id: tokenId, userId, projectId, secretHash, expiresAt, revoked: 0, issuedAt: at });
      return;
    }
    case 'TokenRevoked':
      await manager.update(TokenRow, { id: event.data.tokenId }, { revoked: 1 });
      return;
    case 'AccessKeyCreated': {
      const { accessKeyId, userId, projectId, secretCiphertext, at } = event.data;
      await manager.insert(AccessKeyRow, { id: accessKeyId, userId, projectId, secretCiphertext, status: 'active', createdAt: at });
      return;
    }
    case 'AccessKeyDeleted':
      await manager.update(AccessKeyRow, { id: event.data.accessKeyId }, { status: 'deleted' });
      return;
  }
}
