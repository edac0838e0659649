import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { keyPairDecider, keyPairStream } from '../../../domain/compute/keypair/keypair.decider';
import { invalid, notFound } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { assertCanWrite } from '../../identity/access';
import { claimKey, nameKey, releaseKey } from '../../shared/unique-names';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { SECRETS, Secrets } from '../../ports/secrets.port';
import { Principal, contextOf } from '../../shared/command-context';
import { COMPUTE_READ_MODEL, ComputeReadModel, KeyPairView } from '../ports/compute-read-model.port';

const keyPairNameStream = (projectId: string, name: string) => `name-keypair-${projectId}-${nameKey(name)}`;

/** `type base64 [comment]`; the blob must start with its own type, as OpenSSH writes it. */
function parsePublicKey(publicKey: string): { type: string; blob: string } {
  const match = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) ([A-Za-z0-9+/]+={0,3})(?: [^\p{Cc}]{0,255})?$/u.exec(
    publicKey.trim(),
  );
  const blob = match ? Buffer.from(match[2], 'base64') : null;
  const declared = blob && blob.length > 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1') : null;
  if (!match || declared !== match[1]) {
    throw invalid('InvalidPublicKey', 'publicKey is not an OpenSSH public key', [
      { field: 'publicKey', message: 'expected "ssh-ed25519 AAAA… comment" or similar' },
    ]);
  }
  return { type: match[1], blob: match[2] };
}

export class ImportKeyPair {
  constructor(
    readonly name: string,
    readonly publicKey: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(ImportKeyPair)
export class ImportKeyPairHandler implements ICommandHandler<ImportKeyPair, KeyPairView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(SECRETS) private readonly secrets: Secrets,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ name, publicKey, principal, requestId }: ImportKeyPair): Promise<KeyPairView> {
    assertCanWrite(principal);
    const { blob } = parsePublicKey(publicKey);
    const keyPairId = this.ids.next('kp');
    const projectId = principal.projectId;
    const ctx = contextOf(principal, requestId);
    const claim = keyPairNameStream(projectId, name);
    await claimKey(this.executor, claim, nameKey(name), keyPairId, ctx);
    try {
      await this.executor.execute(
        keyPairDecider,
        keyPairStream(keyPairId),
        {
          type: 'ImportKeyPair',
          keyPairId,
          projectId,
          name,
          publicKey: publicKey.trim(),
          fingerprint: this.secrets.sshFingerprint(blob),
          now: this.executor.now(),
        },
        ctx,
      );
    } catch (error) {
      await releaseKey(this.executor, claim, nameKey(name), keyPairId, ctx).catch(() => undefined);
      throw error;
    }
    return (await this.readModel.getKeyPair(projectId, name)) as KeyPairView;
  }
}

export class DeleteKeyPair {
  constructor(
    readonly name: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(DeleteKeyPair)
export class DeleteKeyPairHandler implements ICommandHandler<DeleteKeyPair, void> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ name, principal, requestId }: DeleteKeyPair): Promise<void> {
    assertCanWrite(principal);
    const keyPair = await this.readModel.getKeyPair(principal.projectId, name);
    if (!keyPair) throw notFound('KeyPairNotFound', 'Key pair not found');
    const ctx = contextOf(principal, requestId);
    await this.executor.execute(keyPairDecider, keyPairStream(keyPair.id), { type: 'DeleteKeyPair', now: this.executor.now() }, ctx);
    await releaseKey(this.executor, keyPairNameStream(keyPair.projectId, keyPair.name), nameKey(keyPair.name), keyPair.id, ctx);
  }
}
