import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Role } from '../../../domain/shared/roles';
import { userDecider, userStream } from '../../../domain/identity/user/user.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { Principal, contextOf } from '../../shared/command-context';
import { assertAdmin } from '../access';
import { IDENTITY_READ_MODEL, IdentityReadModel, UserView } from '../ports/identity-read-model.port';

/** Assigns a role in a project (role set) or revokes the user's role there (role null). */
export class ChangeRole {
  constructor(
    readonly userId: string,
    readonly projectId: string,
    readonly role: Role | null,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(ChangeRole)
export class ChangeRoleHandler implements ICommandHandler<ChangeRole, UserView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
  ) {}

  async execute({ userId, projectId, role, principal, requestId }: ChangeRole): Promise<UserView> {
    assertAdmin(principal);
    if (!(await this.readModel.getProject(projectId))) throw notFound('ProjectNotFound', `Project ${projectId} not found`);
    const now = this.executor.now();
    await this.executor.execute(userDecider, userStream(userId), role ? { type: 'AssignRole', projectId, role, now } : { type: 'RevokeRole', projectId, now }, {
      ...contextOf(principal, requestId),
      projectId,
    });
    return (await this.readModel.getUser(userId)) as UserView;
  }
}
