import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { NetworkQueries } from '../../../application/network/network.queries';
import { Principal } from '../../../application/shared/command-context';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { CurrentPrincipal } from '../shared/decorators';

@ApiTags('network')
@ApiBearerAuth()
@Controller()
export class PortsController {
  constructor(private readonly queries: NetworkQueries) {}

  @Get('v1/ports')
  ports(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listPorts(p, pageOf(q));
  }

  @Get('v1/ports/:id')
  port(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.getPort(p, id);
  }
}
