import { CommandBus } from '@nestjs/cqrs';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { AllocateFloatingIp } from '../../application/network/commands/allocate-floating-ip.command';
import { ChangeFloatingIp } from '../../application/network/commands/change-floating-ip.command';
import { CreateNetwork } from '../../application/network/commands/create-network.command';
import { DeleteNetwork } from '../../application/network/commands/delete-network.command';
import { ChangeSecurityGroupRules } from '../../application/network/commands/change-security-group-rules.command';
import { CreateSecurityGroup } from '../../application/network/commands/create-security-group.command';
import { DeleteSecurityGroup } from '../../application/network/commands/delete-security-group.command';
import { FloatingIpView } from '../../application/network/ports/network-read-model.port';
import { NetworkQueries } from '../../application/network/network.queries';
import { Principal } from '../../application/shared/command-context';
import { AssociateFloatingIpDto, CreateNetworkDto } from '../http/network/network.dto';
import { CreateSecurityGroupDto, SecurityRuleDto } from '../http/network/security-group.dto';
import { Access } from '../http/shared/decorators';
import { GrpcController } from './grpc-controller.decorator';
import { GrpcPrincipal, GrpcRequestId } from './grpc-call';
import { GetRequest, IdRequest, asOfIn, validated, pageIn } from './grpc-validation';

@GrpcController()
export class NetworkGrpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: NetworkQueries,
  ) {}

  @GrpcMethod('Network', 'CreateNetwork')
  async createNetwork(@Payload() request: object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    const b = await validated(CreateNetworkDto, request);
    return this.commands.execute(
      new CreateNetwork(b.name, b.cidr ? [{ cidr: b.cidr, gateway: b.gateway }] : [], { vlan: b.vlan, external: b.external, shared: b.shared }, p, r),
    );
  }

  @GrpcMethod('Network', 'GetNetwork')
  @Access('read')
  async getNetwork(@Payload() request: GetRequest, @GrpcPrincipal() p: Principal) {
    return this.queries.getNetwork(p, request.id ?? '', await asOfIn(request));
  }

  @GrpcMethod('Network', 'ListNetworks')
  @Access('read')
  async listNetworks(@Payload() request: object, @GrpcPrincipal() p: Principal) {
    return this.queries.listNetworks(p, await pageIn(request));
  }

  @GrpcMethod('Network', 'DeleteNetwork')
  async deleteNetwork(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<object> {
    await this.commands.execute(new DeleteNetwork(id ?? '', p, r));
    return {};
  }

  @GrpcMethod('Network', 'AllocateFloatingIp')
  allocateFloatingIp(@Payload() _request: object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<FloatingIpView> {
    return this.commands.execute(new AllocateFloatingIp(p, r));
  }

  @GrpcMethod('Network', 'GetFloatingIp')
  @Access('read')
  getFloatingIp(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal) {
    return this.queries.getFloatingIp(p, id ?? '');
  }

  @GrpcMethod('Network', 'ListFloatingIps')
  @Access('read')
  async listFloatingIps(@Payload() request: object, @GrpcPrincipal() p: Principal) {
    return this.queries.listFloatingIps(p, await pageIn(request));
  }

  @GrpcMethod('Network', 'AssociateFloatingIp')
  async associateFloatingIp(@Payload() { id, ...body }: IdRequest & object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    const b = await validated(AssociateFloatingIpDto, body);
    return this.commands.execute(new ChangeFloatingIp(id ?? '', { associate: b.instanceId }, p, r));
  }

  @GrpcMethod('Network', 'DisassociateFloatingIp')
  disassociateFloatingIp(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    return this.commands.execute(new ChangeFloatingIp(id ?? '', 'disassociate', p, r));
  }

  @GrpcMethod('Network', 'ReleaseFloatingIp')
  async releaseFloatingIp(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<object> {
    await this.commands.execute(new ChangeFloatingIp(id ?? '', 'release', p, r));
    return {};
  }

  @GrpcMethod('Network', 'CreateSecurityGroup')
  async createSecurityGroup(@Payload() request: object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    const b = await validated(CreateSecurityGroupDto, request);
    return this.commands.execute(new CreateSecurityGroup(b.name, b.rules ?? [], p, r));
  }

  @GrpcMethod('Network', 'GetSecurityGroup')
  @Access('read')
  getSecurityGroup(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal) {
    return this.queries.getSecurityGroup(p, id ?? '');
  }

  @GrpcMethod('Network', 'ListSecurityGroups')
  @Access('read')
  async listSecurityGroups(@Payload() request: object, @GrpcPrincipal() p: Principal) {
    return this.queries.listSecurityGroups(p, await pageIn(request));
  }

  @GrpcMethod('Network', 'AddSecurityGroupRule')
  async addSecurityGroupRule(@Payload() { id, rule }: IdRequest & { rule?: object }, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    const b = await validated(SecurityRuleDto, rule ?? {});
    return this.commands.execute(new ChangeSecurityGroupRules(id ?? '', { add: b }, p, r));
  }

  @GrpcMethod('Network', 'RemoveSecurityGroupRule')
  removeSecurityGroupRule(@Payload() { id, ruleId }: IdRequest & { ruleId?: string }, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    return this.commands.execute(new ChangeSecurityGroupRules(id ?? '', { remove: ruleId ?? '' }, p, r));
  }

  @GrpcMethod('Network', 'DeleteSecurityGroup')
  async deleteSecurityGroup(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<object> {
    await this.commands.execute(new DeleteSecurityGroup(id ?? '', p, r));
    return {};
  }
}
