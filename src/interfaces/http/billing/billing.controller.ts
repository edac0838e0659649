import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { BillingQueries } from '../../../application/billing/billing.queries';
import { Principal } from '../../../application/shared/command-context';
import { CurrentPrincipal } from '../shared/decorators';
import { BillingUsageQueryDto } from './billing.dto';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/billing')
export class BillingController {
  constructor(private readonly billing: BillingQueries) {}

  @Get('usage')
  @ApiOperation({ summary: 'Metered usage per hour and resource, priced: closed intervals plus what running clocks add up to now' })
  @ApiQuery({ name: 'project', required: false })
  usage(@Query() q: BillingUsageQueryDto, @CurrentPrincipal() p: Principal) {
    return this.billing.usage(p, q);
  }

  @Get('check')
  @ApiOperation({ summary: 'Recomputes billing from the event log and compares it with the stored usage (admin)' })
  check(@CurrentPrincipal() p: Principal) {
    return this.billing.check(p);
  }
}
