import { Module } from '@nestjs/common';
import { Authenticator } from '../application/identity/authenticator';
import { BootstrapAdmin } from '../application/identity/bootstrap-admin';
import { ChangeRoleHandler } from '../application/identity/commands/change-role.command';
import { CreateAccessKeyHandler } from '../application/identity/commands/create-access-key.command';
import { CreateProjectHandler } from '../application/identity/commands/create-project.command';
import { CreateUserHandler } from '../application/identity/commands/create-user.command';
import { DeleteAccessKeyHandler } from '../application/identity/commands/delete-access-key.command';
import { IssueTokenHandler } from '../application/identity/commands/issue-token.command';
import { RescopeTokenHandler } from '../application/identity/commands/rescope-token.command';
import { RevokeTokenHandler } from '../application/identity/commands/revoke-token.command';
import { UpdateProjectQuotasHandler } from '../application/identity/commands/update-project-quotas.command';
import { TOKEN_TTL_SECONDS } from '../application/identity/identity.settings';
import { IdentityQueries } from '../application/identity/identity.queries';
import { IDENTITY_READ_MODEL } from '../application/identity/ports/identity-read-model.port';
import { QuotaLedger } from '../application/identity/quota-ledger';
import { Config } from '../infrastructure/config/config';
import { Database } from '../infrastructure/persistence/database';
import { SqlIdentityReadModel } from '../infrastructure/read-models/identity/identity.read-model';
import { CONFIG, DATABASE, IDENTITY_HOME } from './tokens';
import { IdentityHome, identityFreshness } from './identity-home';
import { IDENTITY_FRESHNESS } from '../application/identity/ports/identity-freshness.port';
import { EVENT_STORE, EventStore } from '../application/ports/event-store.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../application/ports/read-model-progress.port';

/** Identity: projects and their quotas, users and roles, tokens, access keys; the bootstrap admin. */
@Module({
  providers: [
    { provide: IDENTITY_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new SqlIdentityReadModel(db) },
    {
      provide: IDENTITY_FRESHNESS,
      inject: [IDENTITY_HOME, EVENT_STORE, READ_MODEL_PROGRESS],
      useFactory: (home: IdentityHome | null, store: EventStore, progress: ReadModelProgress) => identityFreshness(home, store, progress),
    },
    { provide: TOKEN_TTL_SECONDS, inject: [CONFIG], useFactory: (config: Config) => config.tokenTtlSeconds },
    QuotaLedger,
    IdentityQueries,
    Authenticator,
    BootstrapAdmin,
    CreateProjectHandler,
    UpdateProjectQuotasHandler,
    CreateUserHandler,
    ChangeRoleHandler,
    IssueTokenHandler,
    RescopeTokenHandler,
    RevokeTokenHandler,
    CreateAccessKeyHandler,
    DeleteAccessKeyHandler,
  ],
  exports: [QuotaLedger, IdentityQueries, Authenticator, BootstrapAdmin, TOKEN_TTL_SECONDS],
})
export class IdentityModule {}
