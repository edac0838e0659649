import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeleteKeyPair } from '../../../application/compute/commands/delete-key-pair.command';
import { ImportKeyPair } from '../../../application/compute/commands/import-key-pair.command';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { Principal } from '../../../application/shared/command-context';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { CurrentPrincipal, RequestId } from '../shared/decorators';
import { ImportKeyPairDto } from './compute.dto';

@ApiTags('compute')
@ApiBearerAuth()
@Controller('v1/keypairs')
export class KeyPairsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ComputeQueries,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Import an SSH public key into the project' })
  create(@Body() b: ImportKeyPairDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new ImportKeyPair(b.name, b.publicKey, p, r));
  }

  @Get()
  list(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listKeyPairs(p, pageOf(q));
  }

  @Get(':name')
  get(@Param('name') name: string, @CurrentPrincipal() p: Principal) {
    return this.queries.getKeyPair(p, name);
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name') name: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteKeyPair(name, p, r));
  }
}
