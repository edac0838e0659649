import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '../ports/event-store.port';
import { SECRETS, Secrets } from '../ports/secrets.port';
import { Principal, systemContext } from '../shared/command-context';
import { CreateProject } from './commands/create-project.command';
import { CreateUser } from './commands/create-user.command';
import { IDENTITY_READ_MODEL, IdentityReadModel } from './ports/identity-read-model.port';
import { nameClaimStream } from '../shared/unique-names';

export const ADMIN_NAME = 'admin';

export type BootstrapResult = { created: false } | { created: true; password: string; generated: boolean; admin: Principal };

/**
 * On first start with an empty store: project `admin` and user `admin` (role admin). Each step is
 * checked on its own, so a start that crashed half-way is completed by the next one.
 */
@Injectable()
export class BootstrapAdmin {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
    @Inject(SECRETS) private readonly secrets: Secrets,
  ) {}

  async run(configuredPassword: string | undefined): Promise<BootstrapResult> {
    const ctx = systemContext('bootstrap');
    if ((await this.store.readStream(nameClaimStream('project', ADMIN_NAME))).length === 0) {
      await this.commandBus.execute(new CreateProject(ADMIN_NAME, {}, null, null, ctx));
    }
    if ((await this.store.readStream(nameClaimStream('user', ADMIN_NAME))).length > 0) return { created: false };
    const project = await this.readModel.findProjectByName(ADMIN_NAME);
    if (!project) throw new Error('Bootstrap: the admin project is missing from the read model');
    const password = configuredPassword ?? this.secrets.randomSecret(18);
    const user = await this.commandBus.execute(new CreateUser(ADMIN_NAME, password, project.id, 'admin', null, null, ctx));
    const admin: Principal = { userId: user.id, userName: ADMIN_NAME, projectId: project.id, role: 'admin', tokenId: null };
    return { created: true, password, generated: configuredPassword === undefined, admin };
  }
}
