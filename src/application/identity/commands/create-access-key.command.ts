import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { accessKeyDecider, accessKeyStream } from '../../../domain/identity/access-key/access-key.decider';
import { CommandExecutor } from '../../shared/command-executor';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { SECRETS, Secrets } from '../../ports/secrets.port';
import { Principal, contextOf } from '../../shared/command-context';
import { assertCanWrite } from '../access';

export class CreateAccessKey {
  constructor(
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

export type CreatedAccessKey = { accessKeyId: string; secretAccessKey: string; userId: string; projectId: string; createdAt: string };

@CommandHandler(CreateAccessKey)
export class CreateAccessKeyHandler implements ICommandHandler<CreateAccessKey, CreatedAccessKey> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(SECRETS) private readonly secrets: Secrets,
  ) {}

  async execute({ principal, requestId }: CreateAccessKey): Promise<CreatedAccessKey> {
    assertCanWrite(principal);
    // AWS-style: an id of 20 upper-case characters, a 40-character secret, shown once.
    const accessKeyId = `AK${this.ids
      .next('ak')
      .replace(/[^0-9a-f]/g, '')
      .slice(0, 18)
      .toUpperCase()}`;
    const secretAccessKey = this.secrets.randomSecret(30);
    const now = this.executor.now();
    await this.executor.execute(
      accessKeyDecider,
      accessKeyStream(accessKeyId),
      {
        type: 'CreateAccessKey',
        accessKeyId,
        userId: principal.userId,
        projectId: principal.projectId,
        secretCiphertext: this.secrets.encrypt(secretAccessKey),
        now,
      },
      contextOf(principal, requestId),
    );
    return { accessKeyId, secretAccessKey, userId: principal.userId, projectId: principal.projectId, createdAt: now };
  }
}
