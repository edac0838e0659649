import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { InstanceCommand, RebootType } from '../../../domain/compute/instance/instance.events';
import { notFound } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { assertCanWrite, assertInScope } from '../../identity/public';
import { Operations } from '../operations';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';

export type InstanceAction = { action: 'stop' | 'start' | 'reboot' | 'delete'; type?: RebootType };

export class ChangeInstance {
  constructor(
    readonly instanceId: string,
    readonly change: InstanceAction,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

export type ChangeAccepted = { operation: { id: string; status: 'running'; kind: 'action' | 'delete' }; instance: { id: string } };

/** Stop, start, reboot or delete: the state change is recorded at once (409 if it clashes), the worker carries it out. */
@CommandHandler(ChangeInstance)
export class ChangeInstanceHandler implements ICommandHandler<ChangeInstance, ChangeAccepted> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly operations: Operations,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ instanceId, change, principal, requestId }: ChangeInstance): Promise<ChangeAccepted> {
    assertCanWrite(principal);
    // The stream, not the read model: exact even for an instance launched a moment ago.
    const { state: instance } = await this.executor.load(instanceDecider, instanceStream(instanceId), { cached: true });
    if (instance.status !== 'present' || instance.vmState === 'deleted') throw notFound('InstanceNotFound', 'Instance not found');
    assertInScope(principal, instance.projectId, { code: 'InstanceNotFound', message: 'Instance not found' });
    const now = this.executor.now();
    const command: InstanceCommand =
      change.action === 'stop'
        ? { type: 'Stop', now }
        : change.action === 'start'
          ? { type: 'Start', now }
          : change.action === 'reboot'
            ? { type: 'Reboot', rebootType: change.type ?? 'soft', now }
            : { type: 'Delete', now };
    const operationId = this.ids.next('op');
    const kind = change.action === 'delete' ? 'delete' : 'action';
    const ctx = { ...contextOf(principal, requestId), projectId: instance.projectId, correlationId: operationId };
    await this.executor.execute(instanceDecider, instanceStream(instanceId), command, ctx, { waitForReadModels: false });
    await this.operations.start({ operationId, projectId: instance.projectId, kind, instanceIds: [instanceId] }, ctx, { waitForReadModels: true });
    return { operation: { id: operationId, status: 'running', kind }, instance: { id: instanceId } };
  }
}
