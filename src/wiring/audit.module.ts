import { Module } from '@nestjs/common';
import { AuditQueries } from '../application/events/audit.queries';
import { EventLogQueries } from '../application/events/event-log.queries';
import { OperationQueries } from '../application/operations/operation.queries';
import { ComputeModule } from './compute.module';
import { StorageModule } from './storage.module';

/** What reads across the contexts: the event log and its audit, and operations (instances' or volumes'). */
@Module({
  imports: [ComputeModule, StorageModule],
  providers: [EventLogQueries, AuditQueries, OperationQueries],
  exports: [EventLogQueries, AuditQueries, OperationQueries],
})
export class AuditModule {}
