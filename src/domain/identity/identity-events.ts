import { eventTypesOf } from '../shared/decider';
import { AccessKeyEvent } from './access-key/access-key.decider';
import { ProjectEvent } from './project/project.decider';
import { ProjectQuotaEvent } from './quota/project-quota.decider';
import { TokenEvent } from './token/token.decider';
import { UserEvent } from './user/user.decider';

export type IdentityEvent = ProjectEvent | ProjectQuotaEvent | UserEvent | TokenEvent | AccessKeyEvent;

/** Every event of the Identity context (its topic's). */
export const IDENTITY_EVENT_TYPES = eventTypesOf<IdentityEvent>({
  ProjectCreated: true,
  ProjectQuotasUpdated: true,
  QuotaReserved: true,
  QuotaReleased: true,
  QuotaLedgerOpened: true,
  UserRegistered: true,
  UserPasswordChanged: true,
  UserDisabled: true,
  RoleAssigned: true,
  RoleRevoked: true,
  TokenIssued: true,
  TokenRevoked: true,
  AccessKeyCreated: true,
  AccessKeyDeleted: true,
});
