import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Amounts } from '../../../domain/identity/quota/quota';
import { projectDecider, projectStream } from '../../../domain/identity/project/project.decider';
import { CommandExecutor } from '../../shared/command-executor';
import { Principal, contextOf } from '../../shared/command-context';
import { assertAdmin, assertInScope } from '../access';
import { IDENTITY_READ_MODEL, IdentityReadModel, ProjectView } from '../ports/identity-read-model.port';

export class UpdateProjectQuotas {
  constructor(
    readonly projectId: string,
    readonly quotas: Amounts,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(UpdateProjectQuotas)
export class UpdateProjectQuotasHandler implements ICommandHandler<UpdateProjectQuotas, ProjectView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
  ) {}

  async execute({ projectId, quotas, principal, requestId }: UpdateProjectQuotas): Promise<ProjectView> {
    assertInScope(principal, projectId, { code: 'ProjectNotFound', message: 'Project not found' });
    assertAdmin(principal);
    await this.executor.execute(
      projectDecider,
      projectStream(projectId),
      { type: 'UpdateQuotas', quotas, now: this.executor.now() },
      { ...contextOf(principal, requestId), projectId },
    );
    return (await this.readModel.getProject(projectId)) as ProjectView;
  }
}
