import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperationQueries } from '../../../application/operations/operation.queries';
import { Principal } from '../../../application/shared/command-context';
import { Access, CurrentPrincipal } from '../shared/decorators';

@ApiTags('compute')
@ApiBearerAuth()
@Controller()
export class OperationsController {
  constructor(private readonly queries: OperationQueries) {}

  @Get('v1/operations/:id')
  @Access('read')
  @ApiOperation({ summary: 'An asynchronous operation: status and the progress of each of its resources (a step retrying shows its last error)' })
  operation(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.getOperation(p, id);
  }
}
