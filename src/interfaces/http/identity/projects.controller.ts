import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateProject } from '../../../application/identity/commands/create-project.command';
import { UpdateProjectQuotas } from '../../../application/identity/commands/update-project-quotas.command';
import { IdentityQueries } from '../../../application/identity/identity.queries';
import { Principal } from '../../../application/shared/command-context';
import { Access, CurrentPrincipal, RequestId } from '../shared/decorators';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { CreateProjectDto, UpdateProjectDto } from './identity.dto';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('v1/projects')
export class ProjectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: IdentityQueries,
  ) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create a project (admin); quotas default to the cloud defaults' })
  create(@Body() body: CreateProjectDto, @CurrentPrincipal() principal: Principal, @RequestId() requestId: string) {
    return this.commands.execute(new CreateProject(body.name, { ...body.quotas }, principal, requestId));
  }

  @Get()
  @ApiOperation({ summary: "Projects: all for an admin, one's own otherwise" })
  list(@Query() query: ListQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.listProjects(principal, pageOf(query));
  }

  @Get(':id')
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.getProject(principal, id);
  }

  @Patch(':id')
  @Access('authenticated')
  @ApiOperation({ summary: "Change quotas (admin); another project is 404, one's own 403" })
  update(@Param('id') id: string, @Body() body: UpdateProjectDto, @CurrentPrincipal() principal: Principal, @RequestId() requestId: string) {
    return this.commands.execute(new UpdateProjectQuotas(id, { ...body.quotas }, principal, requestId));
  }

  @Get(':id/usage')
  @ApiOperation({ summary: 'Quota limits and usage of a project' })
  usage(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.usage(principal, id);
  }
}
