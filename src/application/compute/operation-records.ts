import { Inject, Injectable } from '@nestjs/common';
import { OperationEvent, operationStream } from '../../domain/compute/operation/operation.decider';
import { EVENT_STORE, EventStore } from '../ports/event-store.port';
import { INSTANCE_READ_MODEL, InstanceReadModel, InstanceView, OperationRecord, operationRecordOf } from './ports/instance-read-model.port';

/** Operations and the instances they are about, exact from the moment a request is answered. */
@Injectable()
export class OperationRecords {
  constructor(
    @Inject(INSTANCE_READ_MODEL) private readonly readModel: InstanceReadModel,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Read models may lag behind a burst of launches; the operation's own stream never does. */
  async find(id: string): Promise<OperationRecord | null> {
    const projected = await this.readModel.getOperation(id);
    if (projected) return projected;
    const [started] = await this.store.readStream(operationStream(id));
    return started ? operationRecordOf(started.data as OperationEvent['data']) : null;
  }

  /** The operation's instances in its order; one the read model does not show yet is at the start of its work. */
  async instancesOf(operation: OperationRecord): Promise<InstanceView[]> {
    const instances = new Map((await this.readModel.getInstances(operation.instanceIds)).map((i) => [i.id, i]));
    return operation.instanceIds.map((id) => instances.get(id) ?? notYetProjected(id, operation));
  }
}

function notYetProjected(instanceId: string, operation: OperationRecord): InstanceView {
  return {
    id: instanceId,
    name: '',
    projectId: operation.projectId,
    flavor: { id: '', vcpus: 0, ramMiB: 0, diskGiB: 0 },
    image: '',
    keyName: null,
    securityGroups: [],
    zone: null,
    metadata: {},
    tags: [],
    state: operation.kind === 'launch' ? 'pending' : 'unknown',
    taskState: 'scheduling',
    powerState: 'nostate',
    host: null,
    addresses: [],
    volumes: [],
    failure: null,
    released: false,
    retrying: null,
    operationId: operation.id,
    createdAt: operation.createdAt,
    updatedAt: operation.createdAt,
  };
}
