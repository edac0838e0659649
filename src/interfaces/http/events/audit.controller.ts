import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditQueries } from '../../../application/events/audit.queries';
import { Principal } from '../../../application/shared/command-context';
import { CurrentPrincipal } from '../shared/decorators';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditQueries) {}

  @Get('verify')
  @ApiOperation({ summary: 'Walks the hash chain of the event log (admin): ok, or the first position where a row was altered, removed or inserted' })
  verify(@CurrentPrincipal() p: Principal) {
    return this.audit.verify(p);
  }
}
