import { CommandBus } from '@nestjs/cqrs';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { DeleteKeyPair } from '../../application/compute/commands/delete-key-pair.command';
import { ImportKeyPair } from '../../application/compute/commands/import-key-pair.command';
import { ComputeQueries } from '../../application/compute/compute.queries';
import { KeyPairView } from '../../application/compute/ports/compute-read-model.port';
import { Principal } from '../../application/shared/command-context';
import { ImportKeyPairDto } from '../http/compute/compute.dto';
import { Access } from '../http/shared/decorators';
import { GrpcController } from './grpc-controller.decorator';
import { GrpcPrincipal, GrpcRequestId } from './grpc-call';
import { IdRequest, validated, pageIn } from './grpc-validation';

type NameRequest = { name?: string };

/** Compute's catalog over gRPC: flavors and images to read, the project's key pairs. */
@GrpcController()
export class CatalogGrpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ComputeQueries,
  ) {}

  @GrpcMethod('Compute', 'ListFlavors')
  @Access('read')
  async listFlavors(@Payload() request: object) {
    return this.queries.listFlavors(await pageIn(request));
  }

  @GrpcMethod('Compute', 'GetFlavor')
  @Access('read')
  getFlavor(@Payload() { id }: IdRequest) {
    return this.queries.getFlavor(id ?? '');
  }

  @GrpcMethod('Compute', 'ListImages')
  @Access('read')
  async listImages(@Payload() request: object) {
    return this.queries.listImages(await pageIn(request));
  }

  @GrpcMethod('Compute', 'GetImage')
  @Access('read')
  getImage(@Payload() { id }: IdRequest) {
    return this.queries.getImage(id ?? '');
  }

  @GrpcMethod('Compute', 'ImportKeyPair')
  async importKeyPair(@Payload() request: object, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<KeyPairView> {
    const b = await validated(ImportKeyPairDto, request);
    return this.commands.execute(new ImportKeyPair(b.name, b.publicKey, p, r));
  }

  @GrpcMethod('Compute', 'GetKeyPair')
  @Access('read')
  getKeyPair(@Payload() { name }: NameRequest, @GrpcPrincipal() p: Principal) {
    return this.queries.getKeyPair(p, name ?? '');
  }

  @GrpcMethod('Compute', 'ListKeyPairs')
  @Access('read')
  async listKeyPairs(@Payload() request: object, @GrpcPrincipal() p: Principal) {
    return this.queries.listKeyPairs(p, await pageIn(request));
  }

  @GrpcMethod('Compute', 'DeleteKeyPair')
  async deleteKeyPair(@Payload() { name }: NameRequest, @GrpcPrincipal() p: Principal, @GrpcRequestId() r: string): Promise<object> {
    await this.commands.execute(new DeleteKeyPair(name ?? '', p, r));
    return {};
  }
}
