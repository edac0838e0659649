import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { ChangeRole } from '../../application/identity/commands/change-role.command';
import { CreateProject } from '../../application/identity/commands/create-project.command';
import { CreateUser } from '../../application/identity/commands/create-user.command';
import { IssueToken, IssuedToken } from '../../application/identity/commands/issue-token.command';
import { UpdateProjectQuotas } from '../../application/identity/commands/update-project-quotas.command';
import { IdentityQueries } from '../../application/identity/identity.queries';
import { ProjectView, UserView } from '../../application/identity/ports/identity-read-model.port';
import { Principal } from '../../application/shared/command-context';
import { TOKEN_TTL_SECONDS } from '../../application/identity/identity.settings';
import { AssignRoleDto, CreateProjectDto, CreateUserDto, IssueTokenDto, projectIdOrNotFound, UpdateProjectDto } from '../http/identity/identity.dto';
import { Access } from '../http/shared/decorators';
import { GrpcController } from './grpc-controller.decorator';
import { GrpcPrincipal, GrpcRequestId } from './grpc-call';
import { IdRequest, validated, pageIn } from './grpc-validation';

/** identity.proto's role requests as they arrive (proto3: an unset field is absent). */
type RoleRequest = IdRequest & { projectId?: string; role?: string };

@GrpcController()
export class IdentityGrpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: IdentityQueries,
    @Inject(TOKEN_TTL_SECONDS) private readonly ttlSeconds: number,
  ) {}

  @GrpcMethod('Identity', 'IssueToken')
  @Access('public')
  async issueToken(@Payload() request: object, @GrpcRequestId() r: string): Promise<IssuedToken> {
    const b = await validated(IssueTokenDto, request);
    return this.commands.execute(new IssueToken(b.username, b.password, b.project, this.ttlSeconds, r));
  }

  @GrpcMethod('Identity', 'CreateProject')
  @Access('admin')
  async createProject(@Payload() request: object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<ProjectView> {
    const b = await validated(CreateProjectDto, request);
    return this.commands.execute(new CreateProject(b.name, { ...b.quotas }, p, r));
  }

  @GrpcMethod('Identity', 'GetProject')
  @Access('read')
  getProject(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal) {
    return this.queries.getProject(p, id ?? '');
  }

  @GrpcMethod('Identity', 'ListProjects')
  @Access('read')
  async listProjects(@Payload() request: object, @GrpcPrincipal() p: Principal) {
    return this.queries.listProjects(p, await pageIn(request));
  }

  @GrpcMethod('Identity', 'UpdateProjectQuotas')
  @Access('authenticated')
  async updateProjectQuotas(@Payload() { id, ...body }: IdRequest & object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<ProjectView> {
    const b = await validated(UpdateProjectDto, body);
    return this.commands.execute(new UpdateProjectQuotas(id ?? '', { ...b.quotas }, p, r));
  }

  @GrpcMethod('Identity', 'GetProjectUsage')
  @Access('read')
  getProjectUsage(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal) {
    return this.queries.usage(p, id ?? '');
  }

  @GrpcMethod('Identity', 'CreateUser')
  @Access('admin')
  async createUser(@Payload() request: object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<UserView> {
    const b = await validated(CreateUserDto, request);
    return this.commands.execute(new CreateUser(b.name, b.password, b.projectId, b.role, p, r));
  }

  @GrpcMethod('Identity', 'GetUser')
  @Access('read')
  getUser(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal) {
    return this.queries.getUser(p, id ?? '');
  }

  @GrpcMethod('Identity', 'ListUsers')
  @Access('read')
  async listUsers(@Payload() request: object, @GrpcPrincipal() p: Principal) {
    return this.queries.listUsers(p, await pageIn(request));
  }

  @GrpcMethod('Identity', 'AssignRole')
  @Access('admin')
  async assignRole(@Payload() { id, projectId, ...body }: RoleRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<UserView> {
    const b = await validated(AssignRoleDto, body);
    return this.commands.execute(new ChangeRole(id ?? '', projectIdOrNotFound(projectId), b.role, p, r));
  }

  @GrpcMethod('Identity', 'RevokeRole')
  @Access('admin')
  revokeRole(@Payload() { id, projectId }: RoleRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<UserView> {
    return this.commands.execute(new ChangeRole(id ?? '', projectIdOrNotFound(projectId), null, p, r));
  }
}
