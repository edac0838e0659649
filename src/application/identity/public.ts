/** What the other contexts may use of Identity: the quota ledger and the access rules. */
export { QuotaLedger } from './quota-ledger';
export { assertAdmin, assertCanWrite, assertInScope, listingScope } from './access';
export { IDENTITY_EVENT_TYPES } from '../../domain/identity/identity-events';
export { UpdateProjectQuotas } from './commands/update-project-quotas.command';
