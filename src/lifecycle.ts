import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ProvisioningWorker } from './application/compute/provisioning/provisioning-worker';
import { Reconciler } from './application/compute/reconciliation/reconciler';
import { VolumeWorker } from './application/storage/volume-worker';
import { BootstrapAdmin } from './application/identity/bootstrap-admin';
import { EVENT_STORE, EventStore } from './application/ports/event-store.port';
import { Config } from './infrastructure/config/config';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { Database } from './infrastructure/persistence/database';
import { ProjectionRunner } from './infrastructure/projections/projection-runner';
import { CONFIG, DATABASE, LOGGER_INSTANCE } from './tokens';

/** Starts the projections and the bootstrap on start; stops and closes everything in order on shutdown. */
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
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projections.start();
    const result = await this.bootstrap.run(this.config.bootstrapPassword);
    if (result.created) {
      this.logger.info('bootstrap: created project "admin" and user "admin" (role admin)', {
        ...(result.generated ? { generatedPassword: result.password, note: 'shown once; set ORCH_BOOTSTRAP_PASSWORD to choose it' } : {}),
      });
    }
    await this.provisioning.start();
    await this.volumes.start();
    this.reconciler.start();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info('shutting down', { signal });
    await this.reconciler.stop();
    await this.volumes.stop();
    await this.provisioning.stop();
    await this.projections.stop();
    await this.store.close();
    await this.db.close();
  }
}
