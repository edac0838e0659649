import { Inject, Injectable } from '@nestjs/common';
import { instanceDecider, instanceStream } from '../../domain/compute/instance/instance.decider';
import { AsOf, stateAsOf } from '../shared/point-in-time';
import { userState } from '../../domain/compute/instance/instance-states';
import { notFound } from '../../domain/shared/domain-error';
import { EVENT_STORE, EventStore } from '../ports/event-store.port';
import { redact } from '../shared/redaction';
import { assertInScope, listingScope } from '../identity/public';
import { PageRequest } from '../shared/paging';
import { Principal } from '../shared/command-context';
import { INSTANCE_READ_MODEL, InstanceFilter, InstanceReadModel, InstanceView } from './ports/instance-read-model.port';

const INSTANCE_NOT_FOUND = { code: 'InstanceNotFound', message: 'Instance not found' };

@Injectable()
export class InstanceQueries {
  constructor(
    @Inject(INSTANCE_READ_MODEL) private readonly readModel: InstanceReadModel,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The instance now, or as it was at a moment of the log (`asOf`: rebuilt from its stream). */
  async getInstance(p: Principal, id: string, asOf: AsOf | null = null): Promise<InstanceView> {
    // A launch answers before the read models show its instances; their streams already do.
    const instance = asOf ? await this.instanceFromLog(id, asOf) : ((await this.readModel.getInstance(id)) ?? (await this.instanceFromLog(id, null)));
    if (!instance) throw notFound(INSTANCE_NOT_FOUND.code, INSTANCE_NOT_FOUND.message);
    assertInScope(p, instance.projectId, INSTANCE_NOT_FOUND);
    return instance;
  }

  listInstances(p: Principal, filter: InstanceFilter, page: PageRequest) {
    return this.readModel.listInstances(listingScope(p), filter, page);
  }

  /** The instance's own history, oldest first. */
  async instanceEvents(p: Principal, id: string) {
    await this.getInstance(p, id);
    return { items: (await this.store.readStream(instanceStream(id))).map(redact) };
  }

  private async instanceFromLog(id: string, asOf: AsOf | null): Promise<InstanceView | null> {
    const { state, events } = await stateAsOf(this.store, instanceDecider, instanceStream(id), asOf);
    if (state.status !== 'present') return null;
    return {
      id: state.instanceId,
      name: state.request.name,
      projectId: state.projectId,
      flavor: { id: state.flavor.flavorId, vcpus: state.flavor.vcpus, ramMiB: state.flavor.ramMiB, diskGiB: state.flavor.diskGiB },
      image: state.request.imageId,
      state: userState(state.vmState, state.taskState),
      taskState: state.taskState,
      powerState: state.powerState,
      host: state.hostId,
      addresses: state.attachments.map((a) => ({ network: a.networkId, ip: a.ip, mac: a.mac, portId: a.portId })),
      volumes: state.rootVolumeId ? [state.rootVolumeId] : [],
      failure: state.failure,
      released: !state.releasePending,
      retrying: state.retrying,
      operationId: state.request.operationId,
      createdAt: events[0].metadata.at,
      updatedAt: events[events.length - 1].metadata.at,
    };
  }
}
