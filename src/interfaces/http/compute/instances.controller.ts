import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { ChangeAccepted, ChangeInstance } from '../../../application/compute/commands/change-instance.command';
import { LaunchAccepted, LaunchInstances } from '../../../application/compute/provisioning/launch-instances.command';
import { InstanceQueries } from '../../../application/compute/instance.queries';
import { Principal } from '../../../application/shared/command-context';
import { pageOf, AsOfQueryDto, asOfOf } from '../shared/common.dto';
import { CurrentPrincipal, RequestId } from '../shared/decorators';
import { InstanceActionDto, InstanceListQueryDto, InstanceMetadataDto, InstanceTagsDto, LaunchInstancesDto } from './instances.dto';
import { ChangeInstanceDetails } from '../../../application/compute/commands/change-instance-details.command';

@ApiTags('compute')
@ApiBearerAuth()
@Controller()
export class InstancesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: InstanceQueries,
  ) {}

  @Post('v1/instances')
  @HttpCode(202)
  @ApiOperation({ summary: 'Launch minCount..maxCount instances (up to 1000); quota is reserved before the 202' })
  async launch(
    @Body() b: LaunchInstancesDto,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LaunchAccepted> {
    const accepted: LaunchAccepted = await this.commands.execute(new LaunchInstances({ ...b, networks: b.networks.map((n) => ({ ...n })) }, p, r));
    res.setHeader('Location', `/v1/operations/${accepted.operation.id}`);
    return accepted;
  }

  @Get('v1/instances')
  list(@Query() q: InstanceListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listInstances(p, { state: q.state, name: q.name, host: q.host, network: q.network }, pageOf(q));
  }

  @Get('v1/instances/:id')
  get(@Param('id') id: string, @Query() q: AsOfQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.getInstance(p, id, asOfOf(q));
  }

  @Get('v1/instances/:id/events')
  @ApiOperation({ summary: "The instance's event history" })
  events(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.instanceEvents(p, id);
  }

  @Put('v1/instances/:id/metadata')
  @ApiOperation({ summary: "Replace the instance's metadata (recorded at once)" })
  metadata(@Param('id') id: string, @Body() b: InstanceMetadataDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new ChangeInstanceDetails(id, { of: 'metadata', set: b.metadata, unset: [], replace: true }, p, r));
  }

  @Put('v1/instances/:id/tags')
  @ApiOperation({ summary: "Replace the instance's tags (recorded at once)" })
  tags(@Param('id') id: string, @Body() b: InstanceTagsDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new ChangeInstanceDetails(id, { of: 'tags', add: b.tags, remove: [], replace: true }, p, r));
  }

  @Post('v1/instances/:id/actions')
  @HttpCode(202)
  @ApiOperation({ summary: 'stop, start or reboot (soft, falling back to hard)' })
  async act(
    @Param('id') id: string,
    @Body() b: InstanceActionDto,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.located(res, await this.commands.execute(new ChangeInstance(id, { action: b.action, type: b.type }, p, r)));
  }

  @Delete('v1/instances/:id')
  @HttpCode(202)
  @ApiOperation({ summary: 'Terminate an instance; everything it holds is given back' })
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string, @Res({ passthrough: true }) res: Response) {
    return this.located(res, await this.commands.execute(new ChangeInstance(id, { action: 'delete' }, p, r)));
  }

  private located(res: Response, accepted: ChangeAccepted): ChangeAccepted {
    res.setHeader('Location', `/v1/operations/${accepted.operation.id}`);
    return accepted;
  }
}
