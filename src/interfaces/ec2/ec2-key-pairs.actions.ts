import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ComputeQueries } from '../../application/compute/compute.queries';
import { DeleteKeyPair } from '../../application/compute/commands/delete-key-pair.command';
import { ImportKeyPair, ImportedKeyPair } from '../../application/compute/commands/import-key-pair.command';
import { KeyPairView } from '../../application/compute/ports/compute-read-model.port';
import { allItems } from '../../application/shared/paging';
import { DomainError } from '../../domain/shared/domain-error';
import { withinOwnProject } from '../shared/own-project';
import { Ec2ActionGroup, Ec2Call, changing, reading } from './ec2-action';
import { ec2Invalid, withCodes } from './ec2-error';
import { ec2Form } from './ec2-ids';
import { assertKnownFilters, passesFilters } from './ec2-params';

const keyPairId = (k: KeyPairView) => ec2Form('key', k.id);
const keyTypeOf = (k: KeyPairView) => (k.publicKey.startsWith('ssh-ed25519') ? 'ed25519' : 'rsa');
const FILTERS = new Set(['key-name', 'fingerprint', 'key-pair-id', 'key-type']);
const DUPLICATE = { NameTaken: 'InvalidKeyPair.Duplicate', KeyPairExists: 'InvalidKeyPair.Duplicate' };

/** Key pairs: made here (the private key answered once), imported, listed, deleted. */
@Injectable()
export class Ec2KeyPairActions implements Ec2ActionGroup {
  readonly actions = {
    CreateKeyPair: changing((call) => this.create(call)),
    ImportKeyPair: changing((call) => this.importKey(call)),
    DescribeKeyPairs: reading((call) => this.describe(call)),
    DeleteKeyPair: changing((call) => this.remove(call)),
  };

  constructor(
    private readonly commands: CommandBus,
    private readonly compute: ComputeQueries,
  ) {}

  private async create({ params, principal, requestId }: Ec2Call) {
    const made: ImportedKeyPair = await withCodes(DUPLICATE, () =>
      this.commands.execute(new ImportKeyPair(params.required('KeyName'), null, principal, requestId)),
    );
    return { keyName: made.name, keyFingerprint: made.fingerprint, keyMaterial: made.privateKey, keyPairId: keyPairId(made) };
  }

  private async importKey({ params, principal, requestId }: Ec2Call) {
    const material = params.required('PublicKeyMaterial');
    // The CLI and boto3 send the key file base64-encoded; a key sent as it is also reads.
    const publicKey = /^(ssh|ecdsa)-/.test(material) ? material : Buffer.from(material, 'base64').toString('utf8').trim();
    const made: ImportedKeyPair = await withCodes(DUPLICATE, () =>
      this.commands.execute(new ImportKeyPair(params.required('KeyName'), publicKey, principal, requestId)),
    );
    return { keyName: made.name, keyFingerprint: made.fingerprint, keyPairId: keyPairId(made) };
  }

  private async describe({ params, principal }: Ec2Call) {
    const filters = params.filters();
    assertKnownFilters(filters, FILTERS);
    const names = params.list('KeyName');
    const keys = (await allItems((page) => this.compute.listKeyPairs(withinOwnProject(principal), page))).filter((k) => k.projectId === principal.projectId);
    for (const name of names) if (!keys.some((k) => k.name === name)) throw ec2Invalid('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`);
    const shown = keys.filter((k) => {
      if (names.length > 0 && !names.includes(k.name)) return false;
      const values: Record<string, string> = { 'key-name': k.name, fingerprint: k.fingerprint, 'key-pair-id': keyPairId(k), 'key-type': keyTypeOf(k) };
      return passesFilters(filters, values);
    });
    return { keySet: shown.map((k) => ({ keyPairId: keyPairId(k), keyName: k.name, keyFingerprint: k.fingerprint, keyType: keyTypeOf(k) })) };
  }

  /** As on EC2, deleting a key pair that is not there succeeds. */
  private async remove({ params, principal, requestId }: Ec2Call) {
    try {
      await this.commands.execute(new DeleteKeyPair(params.required('KeyName'), principal, requestId));
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'not_found')) throw error;
    }
    return { return: true };
  }
}
