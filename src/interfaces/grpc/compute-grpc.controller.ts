import { CommandBus } from '@nestjs/cqrs';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { ChangeAccepted, ChangeInstance } from '../../application/compute/commands/change-instance.command';
import { LaunchAccepted, LaunchInstances } from '../../application/compute/provisioning/launch-instances.command';
import { InstanceQueries } from '../../application/compute/instance.queries';
import { OperationQueries } from '../../application/operations/operation.queries';
import { Principal } from '../../application/shared/command-context';
import { InstanceActionDto, InstanceListQueryDto, InstanceMetadataDto, InstanceTagsDto, LaunchInstancesDto } from '../http/compute/instances.dto';
import { ChangeInstanceDetails } from '../../application/compute/commands/change-instance-details.command';
import { pageOf } from '../http/shared/common.dto';
import { Access } from '../http/shared/decorators';
import { GrpcController } from './grpc-controller.decorator';
import { GrpcPrincipal, GrpcRequestId } from './grpc-call';
import { GetRequest, IdRequest, asOfIn, validated } from './grpc-validation';

@GrpcController()
export class ComputeGrpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: InstanceQueries,
    private readonly operations: OperationQueries,
  ) {}

  @GrpcMethod('Compute', 'CreateInstances')
  async createInstances(@Payload() request: object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<LaunchAccepted> {
    const b = await validated(LaunchInstancesDto, request);
    return this.commands.execute(new LaunchInstances({ ...b, networks: b.networks.map((n) => ({ ...n })) }, p, r));
  }

  @GrpcMethod('Compute', 'GetInstance')
  @Access('read')
  async getInstance(@Payload() request: GetRequest, @GrpcPrincipal() p: Principal) {
    return this.queries.getInstance(p, request.id ?? '', await asOfIn(request));
  }

  @GrpcMethod('Compute', 'ListInstances')
  @Access('read')
  async listInstances(@Payload() request: object, @GrpcPrincipal() p: Principal) {
    const q = await validated(InstanceListQueryDto, request);
    return this.queries.listInstances(p, { state: q.state, name: q.name, host: q.host, network: q.network }, pageOf(q));
  }

  @GrpcMethod('Compute', 'InstanceAction')
  async instanceAction(@Payload() { id, ...action }: IdRequest & object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<ChangeAccepted> {
    const b = await validated(InstanceActionDto, action);
    return this.commands.execute(new ChangeInstance(id ?? '', { action: b.action, type: b.type }, p, r));
  }

  @GrpcMethod('Compute', 'DeleteInstance')
  deleteInstance(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<ChangeAccepted> {
    return this.commands.execute(new ChangeInstance(id ?? '', { action: 'delete' }, p, r));
  }

  @GrpcMethod('Compute', 'SetInstanceMetadata')
  async setInstanceMetadata(@Payload() { id, ...body }: IdRequest & object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    const b = await validated(InstanceMetadataDto, { metadata: {}, ...body });
    return this.commands.execute(new ChangeInstanceDetails(id ?? '', { of: 'metadata', set: b.metadata, unset: [], replace: true }, p, r));
  }

  @GrpcMethod('Compute', 'SetInstanceTags')
  async setInstanceTags(@Payload() { id, ...body }: IdRequest & object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    const b = await validated(InstanceTagsDto, { tags: [], ...body });
    return this.commands.execute(new ChangeInstanceDetails(id ?? '', { of: 'tags', add: b.tags, remove: [], replace: true }, p, r));
  }

  @GrpcMethod('Compute', 'GetOperation')
  @Access('read')
  getOperation(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal) {
    return this.operations.getOperation(p, id ?? '');
  }
}
