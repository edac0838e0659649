import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Role } from '../../../domain/shared/roles';
import { tokenDecider, tokenStream } from '../../../domain/identity/token/token.decider';
import { DomainError } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { SECRETS, Secrets } from '../../ports/secrets.port';
import { REQUEST_THROTTLE, RequestThrottle } from '../../ports/request-throttle.port';
import { rateLimited, unauthenticated } from '../../shared/application-error';
import { IDENTITY_FRESHNESS, IdentityFreshness, lookUpFresh } from '../ports/identity-freshness.port';
import { IDENTITY_READ_MODEL, IdentityReadModel, ProjectView, UserView } from '../ports/identity-read-model.port';

export class IssueToken {
  constructor(
    /** A user name, or `{ id }` (Keystone's user by id). */
    readonly username: string | { id: string },
    readonly password: string,
    /** Project id or name; null: the first project the user has a role in (Keystone's default project). */
    readonly project: string | null,
    readonly ttlSeconds: number,
    readonly requestId: string | null,
  ) {}
}

export type IssuedToken = { token: string; expiresAt: string; user: UserView; project: ProjectView; roles: Role[] };

/** A hash to verify against when the user does not exist, so both failures take the same time. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** A failed login's bucket: the user's id (named by name or by id alike), or for a name no user has, that name. */
const failedLoginKey = (userId: string | undefined, username: IssueToken['username']): string =>
  userId ?? (typeof username === 'string' ? `name:${username}` : `id:${username.id}`);

@CommandHandler(IssueToken)
export class IssueTokenHandler implements ICommandHandler<IssueToken, IssuedToken> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(SECRETS) private readonly secrets: Secrets,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
    @Inject(IDENTITY_FRESHNESS) private readonly freshness: IdentityFreshness,
    @Inject(REQUEST_THROTTLE) private readonly throttle: RequestThrottle,
  ) {}

  async execute(command: IssueToken): Promise<IssuedToken> {
    // Failed logins are limited per user (see failedLoginKey): guessing one user's password is
    // slowed while everyone else logs in as usual. The key is the last lookup's, not read again.
    let key = failedLoginKey(undefined, command.username);
    // A user, password or role another region recorded a moment ago may not be in this region's copy yet.
    const who = await lookUpFresh(this.freshness, () => this.verify(command, (found) => (key = found)));
    // One answer for an unknown user, a wrong password, a foreign project: nothing to probe.
    if (!who) {
      this.throttle.take('failedLogin', key);
      throw unauthenticated();
    }
    return issueTokenFor(this.executor, this.ids, this.secrets, this.readModel, who, command);
  }

  private async verify(command: IssueToken, keyed: (key: string) => void) {
    const credentials = await this.readModel.findCredentials(typeof command.username === 'string' ? { name: command.username } : command.username);
    const key = failedLoginKey(credentials?.id, command.username);
    keyed(key);
    // Refused before the password is even checked: a guess made while slowed tells nothing.
    const wait = this.throttle.waitFor('failedLogin', key);
    if (wait !== null) throw rateLimited(wait, 'Too many failed logins for this user');
    const passwordOk = await this.secrets.verifyPassword(command.password, credentials?.passwordHash ?? DUMMY_HASH);
    const project = await projectFor(this.readModel, credentials?.id ?? null, command.project);
    return credentials && passwordOk && project ? { userId: credentials.id, userActive: credentials.status === 'active', project } : null;
  }
}

/** The project named (by id or name), or the user's first one when none is named. */
export async function projectFor(readModel: IdentityReadModel, userId: string | null, project: string | null): Promise<ProjectView | null> {
  if (project !== null) return (await readModel.getProject(project)) ?? (await readModel.findProjectByName(project));
  const user = userId ? await readModel.getUser(userId) : null;
  const first = user?.roles[0]?.projectId;
  return first ? readModel.getProject(first) : null;
}

/**
 * Records a token for a user in a project, once the caller has established who the user is (a
 * password, or a token of theirs). Refused alike whatever fails, so that nothing can be probed.
 */
export async function issueTokenFor(
  executor: CommandExecutor,
  ids: IdGenerator,
  secrets: Secrets,
  readModel: IdentityReadModel,
  who: { userId: string; userActive: boolean; project: ProjectView },
  request: { ttlSeconds: number; requestId: string | null },
): Promise<IssuedToken> {
  const { userId, project } = who;
  const role = await readModel.roleOf(userId, project.id);
  const tokenId = ids.next('tok');
  const secret = secrets.randomSecret(32);
  const now = executor.now();
  const expiresAt = new Date(Date.parse(now) + request.ttlSeconds * 1000).toISOString();
  try {
    await executor.execute(
      tokenDecider,
      tokenStream(tokenId),
      { type: 'IssueToken', tokenId, userId, projectId: project.id, role, userActive: who.userActive, secretHash: secrets.digest(secret), expiresAt, now },
      { principal: userId, projectId: project.id, requestId: request.requestId, correlationId: request.requestId ?? tokenId, causationId: null },
    );
  } catch (error) {
    if (error instanceof DomainError && error.code === 'Unauthenticated') throw unauthenticated();
    throw error;
  }
  const user = (await readModel.getUser(userId)) as UserView;
  return { token: `${tokenId}.${secret}`, expiresAt, user, project, roles: [role as Role] };
}
