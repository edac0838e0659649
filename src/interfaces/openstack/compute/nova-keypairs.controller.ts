import { Body, Controller, Delete, Get, Param, Post, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { DeleteKeyPair } from '../../../application/compute/commands/delete-key-pair.command';
import { ImportKeyPair, ImportedKeyPair } from '../../../application/compute/commands/import-key-pair.command';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { KeyPairView } from '../../../application/compute/ports/compute-read-model.port';
import { Principal } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { invalid } from '../../../domain/shared/domain-error';
import { NAME_MESSAGE, NAME_PATTERN } from '../../http/shared/common.dto';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { Microversion, NovaMicroversionInterceptor, NovaVersion } from './nova-microversion';
import { isObject } from '../shared/openstack-body';
import { withinOwnProject } from '../../shared/own-project';

const novaKeyPair = (k: KeyPairView, v: Microversion) => ({
  name: k.name,
  public_key: k.publicKey,
  fingerprint: k.fingerprint,
  ...(v >= 2 ? { type: 'ssh' } : {}),
});

/** Nova's key pairs over the project's: import a public key, or have one generated (its private key answered once). */
@ApiExcludeController()
@UseInterceptors(NovaMicroversionInterceptor)
@Controller('compute/v2.1/os-keypairs')
export class NovaKeyPairsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ComputeQueries,
  ) {}

  @Get()
  async list(@CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion) {
    const keyPairs = await allItems((page) => this.queries.listKeyPairs(withinOwnProject(p), page));
    return { keypairs: keyPairs.map((k) => ({ keypair: novaKeyPair(k, v) })) };
  }

  @Get(':name')
  async show(@Param('name') name: string, @CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion) {
    const k = await this.queries.getKeyPair(p, name);
    return { keypair: { ...novaKeyPair(k, v), id: k.id, user_id: p.userId, created_at: k.createdAt, deleted: false, deleted_at: null, updated_at: null } };
  }

  @Post()
  async create(
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @NovaVersion() v: Microversion,
    @Res({ passthrough: true }) res: Response,
  ) {
    const keypair = isObject(body) ? body.keypair : undefined;
    if (!isObject(keypair)) throw invalid('BadRequest', 'Expected {"keypair": {...}}');
    if (typeof keypair.name !== 'string' || !NAME_PATTERN.test(keypair.name)) throw invalid('BadRequest', `Keypair name ${NAME_MESSAGE}`);
    if (keypair.type !== undefined && keypair.type !== 'ssh') throw invalid('BadRequest', 'Only ssh key pairs are supported');
    if (keypair.public_key !== undefined && typeof keypair.public_key !== 'string') throw invalid('BadRequest', 'public_key must be a string');
    const created: ImportedKeyPair = await this.commands.execute(new ImportKeyPair(keypair.name, (keypair.public_key as string | undefined) ?? null, p, r));
    res.status(v >= 2 ? 201 : 200);
    return { keypair: { ...novaKeyPair(created, v), user_id: p.userId, ...(created.privateKey ? { private_key: created.privateKey } : {}) } };
  }

  @Delete(':name')
  async remove(
    @Param('name') name: string,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @NovaVersion() v: Microversion,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.commands.execute(new DeleteKeyPair(name, p, r));
    res.status(v >= 2 ? 204 : 202);
  }
}
