import { Module, Provider } from '@nestjs/common';
import { AgentScope } from '../application/compute/agents/agent-scope';
import { ControllerScope } from '../application/compute/agents/controller-scope';
import { NO_HOSTS } from '../application/compute/agents/no-hosts-scope';
import { ChangeInstanceHandler } from '../application/compute/commands/change-instance.command';
import { ChangeInstanceDetailsHandler } from '../application/compute/commands/change-instance-details.command';
import { CreateFlavorHandler } from '../application/compute/commands/create-flavor.command';
import { DeleteFlavorHandler } from '../application/compute/commands/delete-flavor.command';
import { DeleteImageHandler } from '../application/compute/commands/delete-image.command';
import { DeleteKeyPairHandler } from '../application/compute/commands/delete-key-pair.command';
import { ImportKeyPairHandler } from '../application/compute/commands/import-key-pair.command';
import { RegisterHostHandler } from '../application/compute/commands/register-host.command';
import { RegisterImageHandler } from '../application/compute/commands/register-image.command';
import { ComputeQueries } from '../application/compute/compute.queries';
import { HostDirectory } from '../application/compute/host-directory';
import { InstanceDirectory } from '../application/compute/instance-directory';
import { InstanceQueries } from '../application/compute/instance.queries';
import { InstanceConsole } from '../application/compute/instance-console';
import { OperationRecords } from '../application/compute/operation-records';
import { Operations } from '../application/compute/operations';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../application/compute/ports/compute-read-model.port';
import { HOST_SCOPE } from '../application/compute/ports/host-scope.port';
import { INSTANCE_READ_MODEL } from '../application/compute/ports/instance-read-model.port';
import { ID_GENERATOR, IdGenerator } from '../application/ports/id-generator.port';
import { CommandExecutor } from '../application/shared/command-executor';
import { Database } from '../infrastructure/persistence/database';
import { SqlComputeReadModel } from '../infrastructure/read-models/compute/compute.read-model';
import { SqlInstanceReadModel } from '../infrastructure/read-models/compute/instance.read-model';
import { IdentityModule } from './identity.module';
import { PROCESS_ROLE, ProcessRole } from './process-role';
import { CONFIG, DATABASE } from './tokens';
import { Config } from '../infrastructure/config/config';
import { FileImageStore } from '../infrastructure/images/file-image-store';
import { IMAGE_MAX_BYTES, IMAGE_STORE } from '../application/compute/ports/image-store.port';
import { CreateImageHandler } from '../application/compute/commands/create-image.command';
import { UploadImageDataHandler } from '../application/compute/commands/upload-image-data.command';
import { ChangeImageTagHandler } from '../application/compute/commands/change-image-tags.command';

/** Which hosts this process drives (see HostScope): every host no agent took over for the orchestrator, its own for an agent, none otherwise. */
const hostScope: Provider = {
  provide: HOST_SCOPE,
  inject: [PROCESS_ROLE, ControllerScope, COMPUTE_READ_MODEL, CommandExecutor, ID_GENERATOR],
  useFactory: async (role: ProcessRole, controller: ControllerScope, compute: ComputeReadModel, executor: CommandExecutor, ids: IdGenerator) => {
    if (role.kind === 'orchestrator') return controller;
    if (role.kind !== 'agent') return NO_HOSTS;
    const host = await compute.getHost(role.host);
    if (!host) throw new Error(`No host "${role.host}": register it with POST /v1/hosts first`);
    return new AgentScope(host.id, ids.next('agt'), executor);
  },
};

/** Compute: the catalog (flavors, images, key pairs), hosts, instances and their operations, and which hosts this process drives. */
@Module({
  imports: [IdentityModule],
  providers: [
    { provide: COMPUTE_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new SqlComputeReadModel(db) },
    { provide: INSTANCE_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new SqlInstanceReadModel(db) },
    { provide: IMAGE_STORE, inject: [CONFIG], useFactory: (config: Config) => new FileImageStore(config.imageDir) },
    { provide: IMAGE_MAX_BYTES, inject: [CONFIG], useFactory: (config: Config) => config.imageMaxBytes },
    ControllerScope,
    hostScope,
    HostDirectory,
    InstanceDirectory,
    Operations,
    OperationRecords,
    ComputeQueries,
    InstanceQueries,
    InstanceConsole,
    CreateFlavorHandler,
    DeleteFlavorHandler,
    RegisterImageHandler,
    CreateImageHandler,
    UploadImageDataHandler,
    ChangeImageTagHandler,
    DeleteImageHandler,
    ImportKeyPairHandler,
    DeleteKeyPairHandler,
    RegisterHostHandler,
    ChangeInstanceHandler,
    ChangeInstanceDetailsHandler,
  ],
  exports: [
    COMPUTE_READ_MODEL,
    INSTANCE_READ_MODEL,
    HOST_SCOPE,
    HostDirectory,
    InstanceDirectory,
    Operations,
    OperationRecords,
    ComputeQueries,
    InstanceQueries,
    InstanceConsole,
  ],
})
export class ComputeModule {}
