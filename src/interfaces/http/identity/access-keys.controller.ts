import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateAccessKey } from '../../../application/identity/commands/create-access-key.command';
import { DeleteAccessKey } from '../../../application/identity/commands/delete-access-key.command';
import { IdentityQueries } from '../../../application/identity/identity.queries';
import { Principal } from '../../../application/shared/command-context';
import { CurrentPrincipal, RequestId } from '../shared/decorators';
import { ListQueryDto, pageOf } from '../shared/common.dto';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('v1/access-keys')
export class AccessKeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: IdentityQueries,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an access key for signed requests; the secret is shown only here' })
  create(@CurrentPrincipal() principal: Principal, @RequestId() requestId: string) {
    return this.commands.execute(new CreateAccessKey(principal, requestId));
  }

  @Get()
  @ApiOperation({ summary: "One's own access keys (all for an admin), without secrets" })
  list(@Query() query: ListQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.listAccessKeys(principal, pageOf(query));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @RequestId() requestId: string): Promise<void> {
    await this.commands.execute(new DeleteAccessKey(id, principal, requestId));
  }
}
