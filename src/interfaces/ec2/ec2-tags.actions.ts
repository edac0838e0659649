import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ChangeInstanceDetails } from '../../application/compute/commands/change-instance-details.command';
import { InstanceQueries } from '../../application/compute/instance.queries';
import { withinOwnProject } from '../shared/own-project';
import { Ec2ActionGroup, Ec2Call, changing, reading } from './ec2-action';
import { ec2Invalid, missingParameter } from './ec2-error';
import { Ec2Ids, ec2IdOf } from './ec2-ids';
import { assertKnownFilters, passesFilters } from './ec2-params';

const FILTERS = new Set(['resource-id', 'resource-type', 'key', 'value']);

/** Tags as the Compute metadata capability holds them: an instance's metadata are its tags (other resources have none yet). */
@Injectable()
export class Ec2TagActions implements Ec2ActionGroup {
  readonly actions = {
    CreateTags: changing((call) => this.change(call, 'create')),
    DeleteTags: changing((call) => this.change(call, 'delete')),
    DescribeTags: reading((call) => this.describe(call)),
  };

  constructor(
    private readonly commands: CommandBus,
    private readonly instances: InstanceQueries,
    private readonly ids: Ec2Ids,
  ) {}

  private async change({ params, principal, requestId }: Ec2Call, how: 'create' | 'delete') {
    const resources = params.list('ResourceId');
    if (resources.length === 0) throw missingParameter('ResourceId');
    const tags = params.members('Tag').map((t) => ({ key: t.required('Key'), value: t.get('Value') }));
    if (how === 'create' && tags.length === 0) throw missingParameter('Tag');
    for (const resource of resources) {
      if (!resource.startsWith('i-')) throw ec2Invalid('InvalidParameterValue', `Tags are kept on instances only here, not on ${resource}`);
    }
    const ours = await Promise.all(resources.map((id) => this.ids.ours('instance', id)));
    for (const instanceId of ours) {
      if (how === 'create') {
        const set = Object.fromEntries(tags.map((t) => [t.key, t.value ?? '']));
        await this.commands.execute(new ChangeInstanceDetails(instanceId, { of: 'metadata', set, unset: [], replace: false }, principal, requestId));
        continue;
      }
      // A tag named with a value goes only if it has that value; with no tags named, all go.
      const metadata = (await this.instances.getInstance(withinOwnProject(principal), instanceId)).metadata;
      const unset =
        tags.length === 0
          ? Object.keys(metadata)
          : tags.filter((t) => t.key in metadata && (t.value === undefined || metadata[t.key] === t.value)).map((t) => t.key);
      if (unset.length > 0)
        await this.commands.execute(new ChangeInstanceDetails(instanceId, { of: 'metadata', set: {}, unset, replace: false }, principal, requestId));
    }
    return { return: true };
  }

  private async describe({ params, principal }: Ec2Call) {
    const filters = params.filters();
    assertKnownFilters(filters, FILTERS);
    const page = await this.instances.findInstances(withinOwnProject(principal), false, {}, () => true, { limit: Number.MAX_SAFE_INTEGER, cursor: null });
    const tags = page.items.flatMap((i) =>
      Object.entries(i.metadata).map(([key, value]) => ({ resourceId: ec2IdOf('instance', i.id), resourceType: 'instance', key, value })),
    );
    const shown = tags.filter((t) => {
      const values: Record<string, string> = { 'resource-id': t.resourceId, 'resource-type': t.resourceType, key: t.key, value: t.value };
      return passesFilters(filters, values);
    });
    return { tagSet: shown };
  }
}
