import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Role } from '../../../domain/shared/roles';
import { tokenDecider, tokenStream } from '../../../domain/identity/token/token.decider';
import { DomainError } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { SECRETS, Secrets } from '../../ports/secrets.port';
import { unauthenticated } from '../../shared/application-error';
import { IDENTITY_READ_MODEL, IdentityReadModel, ProjectView, UserView } from '../ports/identity-read-model.port';

export class IssueToken {
  constructor(
    readonly username: string,
    readonly password: string,
    /** Project id or name. */
    readonly project: string,
    readonly ttlSeconds: number,
    readonly requestId: string | null,
  ) {}
}

export type IssuedToken = { token: string; expiresAt: string; user: UserView; project: ProjectView; roles: Role[] };

/** A hash to verify against when the user does not exist, so both failures take the same time. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

@CommandHandler(IssueToken)
export class IssueTokenHandler implements ICommandHandler<IssueToken, IssuedToken> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(SECRETS) private readonly secrets: Secrets,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
  ) {}

  async execute(command: IssueToken): Promise<IssuedToken> {
    const credentials = await this.readModel.findCredentials(command.username);
    const passwordOk = await this.secrets.verifyPassword(command.password, credentials?.passwordHash ?? DUMMY_HASH);
    const project = (await this.readModel.getProject(command.project)) ?? (await this.readModel.findProjectByName(command.project));
    // One answer for an unknown user, a wrong password, a foreign project: nothing to probe.
    if (!credentials || !passwordOk || !project) throw unauthenticated();
    const role = await this.readModel.roleOf(credentials.id, project.id);

    const tokenId = this.ids.next('tok');
    const secret = this.secrets.randomSecret(32);
    const now = this.executor.now();
    const expiresAt = new Date(Date.parse(now) + command.ttlSeconds * 1000).toISOString();
    try {
      await this.executor.execute(
        tokenDecider,
        tokenStream(tokenId),
        {
          type: 'IssueToken',
          tokenId,
          userId: credentials.id,
          projectId: project.id,
          role,
          userActive: credentials.status === 'active',
          secretHash: this.secrets.digest(secret),
          expiresAt,
          now,
        },
        { principal: credentials.id, projectId: project.id, requestId: command.requestId, correlationId: command.requestId ?? tokenId, causationId: null },
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'Unauthenticated') throw unauthenticated();
      throw error;
    }
    const user = (await this.readModel.getUser(credentials.id)) as UserView;
    return { token: `${tokenId}.${secret}`, expiresAt, user, project, roles: [role as Role] };
  }
}
