import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ChangeInstance, InstanceAction } from '../../application/compute/commands/change-instance.command';
import { InstanceQueries } from '../../application/compute/instance.queries';
import { InstanceConsole } from '../../application/compute/instance-console';
import { InstanceView } from '../../application/compute/ports/instance-read-model.port';
import { CLOCK, Clock } from '../../application/ports/clock.port';
import { EVENT_STORE, EventStore } from '../../application/ports/event-store.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../../application/ports/read-model-progress.port';
import { Principal } from '../../application/shared/command-context';
import { cursorAfter } from '../../application/shared/paging';
import { DomainError } from '../../domain/shared/domain-error';
import { withinOwnProject } from '../shared/own-project';
import { Ec2ActionGroup, Ec2Call, changing, reading } from './ec2-action';
import { ec2Invalid, invalidValue } from './ec2-error';
import { Ec2Ids, ec2IdOf, vpcIdOf } from './ec2-ids';
import { instanceMatcher } from './ec2-instance-filters';
import { ec2StateOf, reservationsOf, zoneOf } from './ec2-instance-view';
import { Ec2Lookups } from './ec2-lookups';
import { Ec2RunInstances } from './ec2-run-instances';

/** EC2 shows a terminated instance for about an hour, so that waiters and scripts see it end. */
const TERMINATED_VISIBLE_MS = 60 * 60_000;

/** What each state-changing action asks of an instance, and the states in which there is nothing left to do. */
const CHANGES: Record<string, { change: InstanceAction; member: string; settled: ReadonlySet<string> }> = {
  StartInstances: { change: { action: 'start' }, member: 'instancesSet', settled: new Set(['active', 'pending', 'rebooting']) },
  StopInstances: { change: { action: 'stop' }, member: 'instancesSet', settled: new Set(['stopped', 'stopping']) },
  TerminateInstances: { change: { action: 'delete' }, member: 'instancesSet', settled: new Set(['deleting', 'deleted']) },
};

/** Instances: run, describe (with filters and pages), status, start, stop, reboot, terminate. */
@Injectable()
export class Ec2InstanceActions implements Ec2ActionGroup {
  readonly actions = {
    RunInstances: changing((call) => this.runner.run(call)),
    DescribeInstances: reading((call) => this.describe(call)),
    DescribeInstanceStatus: reading((call) => this.status(call)),
    StartInstances: changing((call) => this.change('StartInstances', call)),
    StopInstances: changing((call) => this.change('StopInstances', call)),
    TerminateInstances: changing((call) => this.change('TerminateInstances', call)),
    RebootInstances: changing((call) => this.reboot(call)),
    GetConsoleOutput: reading((call) => this.consoleOutput(call)),
  };

  constructor(
    private readonly commands: CommandBus,
    private readonly instances: InstanceQueries,
    private readonly lookups: Ec2Lookups,
    private readonly ids: Ec2Ids,
    private readonly runner: Ec2RunInstances,
    private readonly console: InstanceConsole,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
  ) {}

  private async describe({ params, principal }: Ec2Call) {
    const asked = params.list('InstanceId');
    const maxResults = params.int('MaxResults', 5, 1000);
    if (asked.length > 0 && maxResults !== undefined) {
      throw ec2Invalid('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
    }
    const context = await this.lookups.instanceContext(principal, vpcIdOf(principal.projectId));
    const matches = instanceMatcher(params.filters(), context);
    if (asked.length > 0) {
      const found = (await this.named(principal, asked)).filter(matches);
      return { reservationSet: reservationsOf(found, context, principal.projectId) };
    }
    const token = params.get('NextToken');
    if (token !== undefined && !/^[A-Za-z0-9_-]+$/.test(token)) throw invalidValue('NextToken', token);
    // One more than a page: a token only when something follows (never an empty last page).
    const page = await this.instances.findInstances(
      withinOwnProject(principal),
      false,
      { deletedSince: new Date(this.clock.now().getTime() - TERMINATED_VISIBLE_MS).toISOString() },
      matches,
      { limit: maxResults === undefined ? Number.MAX_SAFE_INTEGER : maxResults + 1, cursor: token ?? null },
    );
    const more = maxResults !== undefined && page.items.length > maxResults;
    const items = more ? page.items.slice(0, maxResults) : page.items;
    return { reservationSet: reservationsOf(items, context, principal.projectId), nextToken: more ? cursorAfter(items[items.length - 1].id) : undefined };
  }

  private async status({ params, principal }: Ec2Call) {
    const asked = params.list('InstanceId');
    const includeAll = params.bool('IncludeAllInstances');
    const matches = instanceMatcher(params.filters(), await this.lookups.instanceContext(principal, vpcIdOf(principal.projectId)));
    const listed =
      asked.length > 0
        ? await this.named(principal, asked)
        : (await this.instances.findInstances(withinOwnProject(principal), false, {}, matches, { limit: 1000, cursor: params.get('NextToken') ?? null })).items;
    const shown = listed.filter((i) => matches(i) && (includeAll || i.state === 'active' || i.state === 'rebooting'));
    const ok = (i: InstanceView) => (i.state === 'active' || i.state === 'rebooting' ? 'ok' : 'not-applicable');
    return {
      instanceStatusSet: shown.map((i) => ({
        instanceId: this.ec2Id(i),
        availabilityZone: zoneOf(i),
        instanceState: ec2StateOf(i),
        systemStatus: { status: ok(i), details: [{ name: 'reachability', status: ok(i) === 'ok' ? 'passed' : 'initializing' }] },
        instanceStatus: { status: ok(i), details: [{ name: 'reachability', status: ok(i) === 'ok' ? 'passed' : 'initializing' }] },
      })),
    };
  }

  /** Start, stop or terminate, each instance answered with its state before and after (nothing to do is no error, as on EC2). */
  private async change(action: string, { params, principal, requestId }: Ec2Call) {
    const { change, member, settled } = CHANGES[action];
    const named = await this.namedRequired(principal, params.list('InstanceId'));
    for (const instance of named) if (!settled.has(instance.state)) await this.apply(instance, change, principal, requestId);
    await this.progress.waitFor(await this.store.headPosition());
    const now = new Map(
      (
        await this.instances.instancesByIds(
          withinOwnProject(principal),
          named.map((i) => i.id),
        )
      ).map((i) => [i.id, i]),
    );
    return {
      [member]: named.map((instance) => ({
        instanceId: this.ec2Id(instance),
        currentState: ec2StateOf(now.get(instance.id) ?? instance),
        previousState: ec2StateOf(instance),
      })),
    };
  }

  private async reboot({ params, principal, requestId }: Ec2Call) {
    for (const instance of await this.namedRequired(principal, params.list('InstanceId'))) {
      await this.apply(instance, { action: 'reboot', type: 'soft' }, principal, requestId);
    }
    return { return: true };
  }

  /** The guest's serial console, base64 as EC2 sends it (empty on simulated hosts). */
  private async consoleOutput({ params, principal }: Ec2Call) {
    const [instance] = await this.namedRequired(principal, [params.required('InstanceId')]);
    const { output } = await this.console.output(withinOwnProject(principal), instance.id);
    return { instanceId: this.ec2Id(instance), timestamp: this.clock.now().toISOString(), output: Buffer.from(output, 'utf8').toString('base64') };
  }

  private async apply(instance: InstanceView, change: InstanceAction, p: Principal, requestId: string): Promise<void> {
    try {
      await this.commands.execute(new ChangeInstance(instance.id, change, p, requestId));
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'conflict' || error.kind === 'refused')) {
        throw ec2Invalid(
          'IncorrectInstanceState',
          `The instance '${this.ec2Id(instance)}' is not in a state from which it can be ${change.action}ed: ${error.message}`,
        );
      }
      throw error;
    }
  }

  private async namedRequired(p: Principal, asked: string[]): Promise<InstanceView[]> {
    if (asked.length === 0) throw ec2Invalid('MissingParameter', 'The request must contain the parameter InstanceId');
    return this.named(p, asked);
  }

  /** The instances named, all of them visible to the caller (else InvalidInstanceID.NotFound, as EC2). */
  private async named(p: Principal, asked: string[]): Promise<InstanceView[]> {
    const ours = await Promise.all(asked.map((id) => this.ids.ours('instance', id)));
    const found = await this.instances.instancesByIds(withinOwnProject(p), ours);
    const cutoff = new Date(this.clock.now().getTime() - TERMINATED_VISIBLE_MS).toISOString();
    const visible = found.filter((i) => i.state !== 'deleted' || i.updatedAt >= cutoff);
    const missing = asked.filter((_, index) => !visible.some((i) => i.id === ours[index]));
    if (missing.length > 0) throw this.ids.notFound('instance', missing.join(', '));
    return visible;
  }

  private ec2Id = (i: InstanceView) => ec2IdOf('instance', i.id);
}
