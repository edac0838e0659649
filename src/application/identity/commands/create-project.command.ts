import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Amounts } from '../../../domain/identity/quota/quota';
import { projectDecider, projectStream } from '../../../domain/identity/project/project.decider';
import { CommandExecutor } from '../../shared/command-executor';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { CommandContext, Principal, contextOf } from '../../shared/command-context';
import { assertAdmin } from '../access';
import { IDENTITY_READ_MODEL, IdentityReadModel, ProjectView } from '../ports/identity-read-model.port';
import { withClaimedName } from '../../shared/unique-names';

export class CreateProject {
  constructor(
    readonly name: string,
    readonly quotas: Amounts,
    readonly principal: Principal | null,
    readonly requestId: string | null,
    /** Set by the bootstrap, which runs before any principal exists. */
    readonly systemContext?: CommandContext,
    readonly projectId?: string,
  ) {}
}

@CommandHandler(CreateProject)
export class CreateProjectHandler implements ICommandHandler<CreateProject, ProjectView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
  ) {}

  async execute(command: CreateProject): Promise<ProjectView> {
    if (command.principal) assertAdmin(command.principal);
    const ctx = command.systemContext ?? contextOf(command.principal as Principal, command.requestId);
    const projectId = command.projectId ?? this.ids.next('prj');
    await withClaimedName(this.executor, 'project', command.name, projectId, ctx, () =>
      this.executor.execute(
        projectDecider,
        projectStream(projectId),
        { type: 'CreateProject', projectId, name: command.name, quotas: command.quotas, now: this.executor.now() },
        { ...ctx, projectId },
      ),
    );
    return (await this.readModel.getProject(projectId)) as ProjectView;
  }
}
