import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JsonLogger } from '../infrastructure/logging/json-logger';
import { CatalogGrpcController } from '../interfaces/grpc/catalog-grpc.controller';
import { ComputeGrpcController } from '../interfaces/grpc/compute-grpc.controller';
import { EventsGrpcController } from '../interfaces/grpc/events-grpc.controller';
import { IdentityGrpcController } from '../interfaces/grpc/identity-grpc.controller';
import { NetworkGrpcController } from '../interfaces/grpc/network-grpc.controller';
import { StorageGrpcController } from '../interfaces/grpc/storage-grpc.controller';
import { BillingController } from '../interfaces/http/billing/billing.controller';
import { FlavorsController } from '../interfaces/http/compute/flavors.controller';
import { HostsController } from '../interfaces/http/compute/hosts.controller';
import { ImagesController } from '../interfaces/http/compute/images.controller';
import { InstancesController } from '../interfaces/http/compute/instances.controller';
import { KeyPairsController } from '../interfaces/http/compute/keypairs.controller';
import { AuditController } from '../interfaces/http/events/audit.controller';
import { EventsController } from '../interfaces/http/events/events.controller';
import { AccessKeysController } from '../interfaces/http/identity/access-keys.controller';
import { AuthController } from '../interfaces/http/identity/auth.controller';
import { ProjectsController } from '../interfaces/http/identity/projects.controller';
import { UsersController } from '../interfaces/http/identity/users.controller';
import { FloatingIpsController } from '../interfaces/http/network/floating-ips.controller';
import { SubnetsRoutersController } from '../interfaces/http/network/subnets-routers.controller';
import { NetworksController } from '../interfaces/http/network/networks.controller';
import { PortsController } from '../interfaces/http/network/ports.controller';
import { SecurityGroupsController } from '../interfaces/http/network/security-groups.controller';
import { ClusterController } from '../interfaces/http/operations/cluster.controller';
import { Readiness } from '../interfaces/http/operations/readiness';
import { HealthController } from '../interfaces/http/operations/health.controller';
import { OperationsController } from '../interfaces/http/operations/operations.controller';
import { AllExceptionsFilter } from '../interfaces/http/shared/all-exceptions.filter';
import { AuthGuard } from '../interfaces/http/shared/auth.guard';
import { IdempotencyInterceptor } from '../interfaces/http/shared/idempotency.interceptor';
import { VolumesController } from '../interfaces/http/storage/volumes.controller';
import { AuditModule } from './audit.module';
import { BillingModule } from './billing.module';
import { ComputeModule } from './compute.module';
import { IdentityModule } from './identity.module';
import { NetworkModule } from './network.module';
import { OpenStackModule } from './openstack.module';
import { Ec2Module } from './ec2.module';
import { StorageModule } from './storage.module';

/** The REST and gRPC APIs over every context: controllers, authentication, idempotency keys, error mapping. */
@Module({})
export class ApiModule {
  static forRoot(logger: JsonLogger): DynamicModule {
    return {
      module: ApiModule,
      imports: [IdentityModule, ComputeModule, NetworkModule, StorageModule, BillingModule, AuditModule, OpenStackModule, Ec2Module],
      controllers: [
        HealthController,
        ClusterController,
        AuthController,
        ProjectsController,
        UsersController,
        AccessKeysController,
        EventsController,
        AuditController,
        BillingController,
        FlavorsController,
        ImagesController,
        KeyPairsController,
        HostsController,
        NetworksController,
        SubnetsRoutersController,
        PortsController,
        SecurityGroupsController,
        FloatingIpsController,
        InstancesController,
        OperationsController,
        VolumesController,
        IdentityGrpcController,
        ComputeGrpcController,
        CatalogGrpcController,
        NetworkGrpcController,
        StorageGrpcController,
        EventsGrpcController,
      ],
      providers: [
        Readiness,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useFactory: () => new AllExceptionsFilter(logger) },
      ],
    };
  }
}
