import { Module } from '@nestjs/common';
import { GuestCleanup } from '../application/compute/provisioning/guest-cleanup';
import { HostAction } from '../application/compute/provisioning/host-action';
import { HostClaims } from '../application/compute/provisioning/host-claims';
import { InstanceRecords } from '../application/compute/provisioning/instance-records';
import { LaunchInstancesHandler } from '../application/compute/provisioning/launch-instances.command';
import { ChangeInstanceSecurityGroupsHandler } from '../application/compute/commands/change-instance-security-groups.command';
import { PROVISIONING_SETTINGS } from '../application/compute/provisioning/provisioning.settings';
import { ProvisioningWorker } from '../application/compute/provisioning/provisioning.worker';
import { PROVISIONING_STEP_PROVIDERS } from '../application/compute/provisioning/provisioning-steps';
import { ReleaseResources } from '../application/compute/provisioning/release-resources';
import { SchedulingView } from '../application/compute/provisioning/scheduling-view';
import { HostPass } from '../application/compute/reconciliation/host-pass';
import { HostReconciler } from '../application/compute/reconciliation/host.reconciler';
import { InstanceDrift } from '../application/compute/reconciliation/instance-drift';
import { OrphanSweep } from '../application/compute/reconciliation/orphan-sweep';
import { RECONCILER_SETTINGS } from '../application/compute/reconciliation/reconciler.settings';
import { Config } from '../infrastructure/config/config';
import { ComputeModule } from './compute.module';
import { IdentityModule } from './identity.module';
import { NetworkModule } from './network.module';
import { StorageModule } from './storage.module';
import { CONFIG } from './tokens';

/**
 * Compute's process side, across the contexts: launching instances, the provisioning worker and
 * its steps (which use Network's and Storage's services for an instance's ports and disks), and
 * the reconciler of hosts and block storage.
 */
@Module({
  imports: [IdentityModule, ComputeModule, NetworkModule, StorageModule],
  providers: [
    {
      provide: PROVISIONING_SETTINGS,
      inject: [CONFIG],
      useFactory: (c: Config) => ({
        spawnTimeoutMs: c.spawnTimeoutMs,
        hostUnreachableGraceMs: c.hostUnreachableGraceMs,
        maxAttempts: c.scheduleMaxAttempts,
        shutdownTimeoutMs: c.shutdownTimeoutMs,
        softRebootTimeoutMs: c.softRebootTimeoutMs,
        concurrency: c.provisionConcurrency,
        weigher: c.schedulerWeigher,
      }),
    },
    {
      provide: RECONCILER_SETTINGS,
      inject: [CONFIG],
      useFactory: (c: Config) => ({
        intervalMs: c.reconcileIntervalMs,
        orphanGraceMs: c.orphanGraceMs,
        powerDriftPolicy: c.powerDriftPolicy,
        concurrency: c.reconcileConcurrency,
      }),
    },
    LaunchInstancesHandler,
    ChangeInstanceSecurityGroupsHandler,
    InstanceRecords,
    HostClaims,
    SchedulingView,
    GuestCleanup,
    HostAction,
    ReleaseResources,
    ...PROVISIONING_STEP_PROVIDERS,
    ProvisioningWorker,
    InstanceDrift,
    OrphanSweep,
    HostPass,
    HostReconciler,
  ],
  exports: [ProvisioningWorker, HostReconciler],
})
export class ProvisioningModule {}
