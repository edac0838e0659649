import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ProvisioningWorker } from './application/compute/provisioning/provisioning.worker';
import { Reconciler } from './application/compute/reconciliation/host.reconciler';
import { VolumeWorker } from './application/storage/volume.worker';
import { SecurityGroupWorker } from './application/network/security-group.worker';
import { BootstrapAdmin } from './application/identity/bootstrap-admin';
import { EVENT_STORE, EventStore } from './application/ports/event-store.port';
import { Config } from './infrastructure/config/config';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { Database } from './infrastructure/persistence/database';
import { ProjectionRunner } from './infrastructure/projections/projection-runner';
import { CONFIG, DATABASE, LOGGER_INSTANCE } from './tokens';
import { PROCESS_ROLE, ProcessRole } from './process-role';
import { HOST_SCOPE, HostScope } from './application/compute/ports/host-scope.port';
import { EventRelay } from './application/integration/event-relay';
import { BillingConsumer } from './application/billing/billing.consumer';
import { INTEGRATION_BUS, IntegrationBus } from './application/ports/integration-bus.port';

/**
 * Starts the process's parts in order and stops them in reverse. The orchestrator runs the
 * projections, the bootstrap and every worker (and, unless configured off, the relay and the
 * billing consumer); a standalone agent takes its host over and runs the workers that touch hosts
 * (provisioning, security groups, reconciliation), scoped to it; `npm run relay` and
 * `npm run billing` run the one part each.
 */
@Injectable()
export class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER_INSTANCE) private readonly logger: JsonLogger,
    private readonly projections: ProjectionRunner,
    private readonly bootstrap: BootstrapAdmin,
    private readonly provisioning: ProvisioningWorker,
    private readonly reconciler: Reconciler,
    private readonly volumes: VolumeWorker,
    private readonly securityGroups: SecurityGroupWorker,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
    @Inject(HOST_SCOPE) private readonly scope: HostScope,
    private readonly relay: EventRelay,
    private readonly billing: BillingConsumer,
    @Inject(INTEGRATION_BUS) private readonly bus: IntegrationBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { kind } = this.role;
    // The consumer before the relay: on the in-process bus, nothing is published before it listens.
    if (kind === 'billing' || (kind === 'orchestrator' && this.config.billing === 'in-process')) await this.billing.start();
    if (kind === 'relay' || (kind === 'orchestrator' && this.config.relay === 'in-process')) await this.relay.start();
    if (kind === 'relay' || kind === 'billing') return;
    const orchestrator = kind === 'orchestrator';
    if (orchestrator) {
      await this.projections.start();
      const result = await this.bootstrap.run(this.config.bootstrapPassword);
      if (result.created) {
        this.logger.info('bootstrap: created project "admin" and user "admin" (role admin)', {
          ...(result.generated ? { generatedPassword: result.password, note: 'shown once; set ORCH_BOOTSTRAP_PASSWORD to choose it' } : {}),
        });
      }
    }
    await this.scope.start();
    await this.provisioning.start();
    if (orchestrator) await this.volumes.start();
    await this.securityGroups.start();
    await this.reconciler.start();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info('shutting down', { signal });
    await this.reconciler.stop();
    await this.securityGroups.stop();
    await this.volumes.stop();
    await this.provisioning.stop();
    await this.scope.stop();
    await this.relay.stop();
    await this.billing.stop();
    await this.bus.close();
    await this.projections.stop();
    await this.store.close();
    await this.db.close();
  }
}
