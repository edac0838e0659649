import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { keyPairDecider, keyPairStream } from '../../../domain/compute/keypair/keypair.decider';
import { invalid } from '../../../domain/shared/domain-error';
import { assertCanWrite } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { SECRETS, Secrets } from '../../ports/secrets.port';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { claimKey, nameKey, releaseKey } from '../../shared/unique-names';
import { keyPairNameStream } from '../keypair-names';
import { COMPUTE_READ_MODEL, ComputeReadModel, KeyPairView } from '../ports/compute-read-model.port';

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

export type ImportedKeyPair = KeyPairView & { privateKey?: string };

export class ImportKeyPair {
  constructor(
    readonly name: string,
    /** null: generate a key pair, and answer its private key once (it is not kept). */
    readonly publicKey: string | null,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(ImportKeyPair)
export class ImportKeyPairHandler implements ICommandHandler<ImportKeyPair, ImportedKeyPair> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(SECRETS) private readonly secrets: Secrets,
    @Inject(COMPUTE_READ_MODEL) private readonly readModel: ComputeReadModel,
  ) {}

  async execute({ name, publicKey: given, principal, requestId }: ImportKeyPair): Promise<ImportedKeyPair> {
    assertCanWrite(principal);
    const generated = given === null ? await this.secrets.sshKeyPair(name) : null;
    const publicKey = generated?.publicKey ?? (given as string);
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
    const view = (await this.readModel.getKeyPair(projectId, name)) as KeyPairView;
    return generated ? { ...view, privateKey: generated.privateKey } : view;
  }
}
