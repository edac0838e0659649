import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangeRole } from '../../../application/identity/commands/change-role.command';
import { CreateUser } from '../../../application/identity/commands/create-user.command';
import { IdentityQueries } from '../../../application/identity/identity.queries';
import { Principal } from '../../../application/shared/command-context';
import { Access, CurrentPrincipal, RequestId } from '../shared/decorators';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { AssignRoleDto, CreateUserDto, projectIdOrNotFound } from './identity.dto';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('v1/users')
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: IdentityQueries,
  ) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create a user with a role in a project (admin)' })
  create(@Body() body: CreateUserDto, @CurrentPrincipal() principal: Principal, @RequestId() requestId: string) {
    return this.commands.execute(new CreateUser(body.name, body.password, body.projectId, body.role, principal, requestId));
  }

  @Get()
  @ApiOperation({ summary: "Users: all for an admin, the members of one's project otherwise" })
  list(@Query() query: ListQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.listUsers(principal, pageOf(query));
  }

  @Get(':id')
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.getUser(principal, id);
  }

  @Put(':id/roles/:projectId')
  @Access('admin')
  @ApiOperation({ summary: 'Give a user a role in a project, replacing the one it had there (admin)' })
  assign(
    @Param('id') id: string,
    @Param('projectId') projectId: string,
    @Body() body: AssignRoleDto,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
  ) {
    return this.commands.execute(new ChangeRole(id, projectIdOrNotFound(projectId), body.role, principal, requestId));
  }

  @Delete(':id/roles/:projectId')
  @Access('admin')
  @ApiOperation({ summary: "Take away a user's role in a project (admin)" })
  revoke(@Param('id') id: string, @Param('projectId') projectId: string, @CurrentPrincipal() principal: Principal, @RequestId() requestId: string) {
    return this.commands.execute(new ChangeRole(id, projectIdOrNotFound(projectId), null, principal, requestId));
  }
}
