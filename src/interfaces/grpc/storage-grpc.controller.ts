import { CommandBus } from '@nestjs/cqrs';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Principal } from '../../application/shared/command-context';
import { CreateSnapshot } from '../../application/storage/commands/create-snapshot.command';
import { DeleteSnapshot } from '../../application/storage/commands/delete-snapshot.command';
import { SnapshotAccepted } from '../../application/storage/snapshot-changes';
import { ChangeVolume, VolumeChange } from '../../application/storage/commands/change-volume.command';
import { CreateVolume } from '../../application/storage/commands/create-volume.command';
import { VolumeAccepted } from '../../application/storage/volume-accepted';
import { VolumeQueries } from '../../application/storage/volume.queries';
import { Access } from '../http/shared/decorators';
import { AttachVolumeDto, CreateSnapshotDto, CreateVolumeDto } from '../http/storage/volumes.dto';
import { GrpcController } from './grpc-controller.decorator';
import { GrpcPrincipal, GrpcRequestId } from './grpc-call';
import { GetRequest, IdRequest, asOfIn, validated, pageIn } from './grpc-validation';

/** storage.proto's snapshot requests as they arrive (proto3: an unset field is absent). */
type VolumeRef = { volumeId?: string };
type SnapshotRequest = VolumeRef & { snapshotId?: string };

@GrpcController()
export class StorageGrpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: VolumeQueries,
  ) {}

  @GrpcMethod('Storage', 'CreateVolume')
  async createVolume(@Payload() request: object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<VolumeAccepted> {
    const b = await validated(CreateVolumeDto, request);
    return this.commands.execute(new CreateVolume(b.name, b.sizeGiB, p, r, b.snapshotId ?? null));
  }

  @GrpcMethod('Storage', 'GetVolume')
  @Access('read')
  async getVolume(@Payload() request: GetRequest, @GrpcPrincipal() p: Principal) {
    return this.queries.getVolume(p, request.id ?? '', await asOfIn(request));
  }

  @GrpcMethod('Storage', 'ListVolumes')
  @Access('read')
  async listVolumes(@Payload() request: object, @GrpcPrincipal() p: Principal) {
    return this.queries.listVolumes(p, await pageIn(request));
  }

  @GrpcMethod('Storage', 'AttachVolume')
  async attachVolume(@Payload() { id, ...body }: IdRequest & object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    const b = await validated(AttachVolumeDto, body);
    return this.change(id, { action: 'attach', instanceId: b.instanceId }, p, r);
  }

  @GrpcMethod('Storage', 'DetachVolume')
  detachVolume(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    return this.change(id, { action: 'detach' }, p, r);
  }

  @GrpcMethod('Storage', 'DeleteVolume')
  deleteVolume(@Payload() { id }: IdRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string) {
    return this.change(id, { action: 'delete' }, p, r);
  }

  @GrpcMethod('Storage', 'CreateSnapshot')
  async createSnapshot(
    @Payload() { volumeId, ...body }: VolumeRef & object,
    @GrpcPrincipal() p: Principal,
    @GrpcRequestId() r: string,
  ): Promise<SnapshotAccepted> {
    const b = await validated(CreateSnapshotDto, body);
    return this.commands.execute(new CreateSnapshot(volumeId ?? '', b.name, p, r));
  }

  @GrpcMethod('Storage', 'GetSnapshot')
  @Access('read')
  getSnapshot(@Payload() { volumeId, snapshotId }: SnapshotRequest, @GrpcPrincipal() p: Principal) {
    return this.queries.getSnapshot(p, volumeId ?? '', snapshotId ?? '');
  }

  @GrpcMethod('Storage', 'ListSnapshots')
  @Access('read')
  async listSnapshots(@Payload() { volumeId, ...page }: VolumeRef & object, @GrpcPrincipal() p: Principal) {
    return this.queries.listSnapshots(p, volumeId ?? '', await pageIn(page));
  }

  @GrpcMethod('Storage', 'DeleteSnapshot')
  deleteSnapshot(@Payload() { volumeId, snapshotId }: SnapshotRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<SnapshotAccepted> {
    return this.commands.execute(new DeleteSnapshot(volumeId ?? '', snapshotId ?? '', p, r));
  }

  private change(id: string | undefined, change: VolumeChange, p: Principal, r: string): Promise<VolumeAccepted> {
    return this.commands.execute(new ChangeVolume(id ?? '', change, p, r));
  }
}
