import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Amounts } from '../../../domain/identity/quota/quota';
import { Principal, contextOf } from '../../shared/command-context';
import { assertAdmin, assertInScope } from '../access';
import { QuotaLedger } from '../quota-ledger';
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
    private readonly quota: QuotaLedger,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
  ) {}

  async execute({ projectId, quotas, principal, requestId }: UpdateProjectQuotas): Promise<ProjectView> {
    assertInScope(principal, projectId, { code: 'ProjectNotFound', message: 'Project not found' });
    assertAdmin(principal);
    await this.quota.updateLimits(projectId, quotas, { ...contextOf(principal, requestId), projectId });
    return (await this.readModel.getProject(projectId)) as ProjectView;
  }
}
