import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Role } from '../../../domain/shared/roles';
import { userDecider, userStream } from '../../../domain/identity/user/user.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { SECRETS, Secrets } from '../../ports/secrets.port';
import { CommandContext, Principal, contextOf } from '../../shared/command-context';
import { assertAdmin } from '../access';
import { IDENTITY_READ_MODEL, IdentityReadModel, UserView } from '../ports/identity-read-model.port';
import { withClaimedName } from '../../shared/unique-names';

export class CreateUser {
  constructor(
    readonly name: string,
    readonly password: string,
    readonly projectId: string,
    readonly role: Role,
    readonly principal: Principal | null,
    readonly requestId: string | null,
    readonly systemContext?: CommandContext,
  ) {}
}

@CommandHandler(CreateUser)
export class CreateUserHandler implements ICommandHandler<CreateUser, UserView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(SECRETS) private readonly secrets: Secrets,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
  ) {}

  async execute(command: CreateUser): Promise<UserView> {
    if (command.principal) assertAdmin(command.principal);
    if (!(await this.readModel.getProject(command.projectId))) throw notFound('ProjectNotFound', `Project ${command.projectId} not found`);
    const ctx = command.systemContext ?? contextOf(command.principal as Principal, command.requestId);
    const userId = this.ids.next('usr');
    const passwordHash = await this.secrets.hashPassword(command.password);
    await withClaimedName(this.executor, 'user', command.name, userId, ctx, () =>
      this.executor.execute(
        userDecider,
        userStream(userId),
        { type: 'RegisterUser', userId, name: command.name, passwordHash, projectId: command.projectId, role: command.role, now: this.executor.now() },
        { ...ctx, projectId: command.projectId },
      ),
    );
    return (await this.readModel.getUser(userId)) as UserView;
  }
}
