import { Inject, Injectable } from '@nestjs/common';
import { instanceDecider, instanceStream } from '../../domain/compute/instance/instance.decider';
import { AsOf, stateAsOf } from '../shared/point-in-time';
import { userState } from '../../domain/compute/instance/instance-states';
import { notFound } from '../../domain/shared/domain-error';
import { EVENT_STORE, EventStore } from '../ports/event-store.port';
import { redact } from '../shared/redaction';
import { assertInScope, listingScope } from '../identity/public';
import { Page, PageRequest, cursorAfter } from '../shared/paging';
import { Principal, isAdmin } from '../shared/command-context';
import { forbidden } from '../shared/application-error';
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

  /** The instances of these ids that the caller may see (unknown and others' left out), in the order asked. */
  async instancesByIds(p: Principal, ids: readonly string[]): Promise<InstanceView[]> {
    const found = new Map((await this.readModel.getInstances([...ids])).map((i) => [i.id, i]));
    return ids.flatMap((id) => {
      const instance = found.get(id);
      return instance && (isAdmin(p) || instance.projectId === p.projectId) ? [instance] : [];
    });
  }

  /**
   * Instances of the filter that also match a predicate the read model cannot express (a name
   * pattern, a time), read page by page in id order until the page is full. `allProjects` (admins
   * only) widens the search beyond the caller's project.
   */
  async findInstances(
    p: Principal,
    allProjects: boolean,
    filter: InstanceFilter,
    matches: (i: InstanceView) => boolean,
    page: PageRequest,
  ): Promise<Page<InstanceView>> {
    if (allProjects && !isAdmin(p)) throw forbidden('Only an admin may list the servers of every project');
    const scope = allProjects ? null : p.projectId;
    const found: InstanceView[] = [];
    let cursor = page.cursor;
    for (;;) {
      const batch = await this.readModel.listInstances(scope, filter, { limit: 1000, cursor });
      for (const instance of batch.items) {
        if (!matches(instance)) continue;
        found.push(instance);
        if (found.length === page.limit) return { items: found, nextCursor: cursorAfter(instance.id) };
      }
      if (batch.nextCursor === null) return { items: found, nextCursor: null };
      cursor = batch.nextCursor;
    }
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
      keyName: state.request.keyName,
      securityGroups: state.request.securityGroups,
      zone: state.request.zone,
      metadata: state.metadata,
      tags: state.tags,
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
