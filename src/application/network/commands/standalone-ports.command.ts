import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { addressOf, networkDecider, networkStream } from '../../../domain/network/network/network.decider';
import { portDecider, portStream } from '../../../domain/network/port/port.decider';
import { conflict, invalid } from '../../../domain/shared/domain-error';
import { assertCanWrite, assertInScope } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { POOL_NETWORK_ID } from '../floating-pool';
import { macFor } from '../mac-address';
import { NetworkDirectory } from '../network-directory';
import { NetworkQueries } from '../network.queries';
import { PortView } from '../ports/network-read-model.port';

/** A port made on its own (Neutron's `port create`), for a server to be booted on: an address of the network, no instance yet. */
export class CreateStandalonePort {
  constructor(
    readonly network: string,
    readonly request: { name: string; subnetId?: string; ip?: string; securityGroups?: readonly string[] },
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** Deletes a port made on its own; one a server or a router holds is refused (409 PortInUse). */
export class DeleteStandalonePort {
  constructor(
    readonly portId: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(CreateStandalonePort)
export class CreateStandalonePortHandler implements ICommandHandler<CreateStandalonePort, PortView> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: NetworkQueries,
    private readonly directory: NetworkDirectory,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ network: idOrName, request, principal, requestId }: CreateStandalonePort): Promise<PortView> {
    assertCanWrite(principal);
    const network = await this.queries.getNetwork(principal, idOrName);
    if (network.id === POOL_NETWORK_ID) throw invalid('ExternalNetwork', 'Ports are not made on the external network; allocate a floating IP instead');
    if (!network.shared) assertInScope(principal, network.projectId, { code: 'NetworkNotFound', message: 'Network not found' });
    const securityGroups = await this.directory.resolveSecurityGroups(request.securityGroups ?? [], principal.projectId);
    const portId = this.ids.next('port');
    const ctx = { ...contextOf(principal, requestId), projectId: principal.projectId };
    const { state } = await this.executor.execute(
      networkDecider,
      networkStream(network.id),
      { type: 'AllocateIp', portId, ip: request.ip, subnetId: request.subnetId, now: this.executor.now() },
      ctx,
    );
    const ip = addressOf(state, portId) as string;
    try {
      await this.executor.execute(
        portDecider,
        portStream(portId),
        {
          type: 'CreatePort',
          portId,
          projectId: principal.projectId,
          networkId: network.id,
          mac: macFor(portId),
          ip,
          instanceId: null,
          securityGroups,
          name: request.name,
          now: this.executor.now(),
        },
        ctx,
      );
    } catch (error) {
      await this.executor
        .execute(networkDecider, networkStream(network.id), { type: 'ReleaseIp', portId, now: this.executor.now() }, ctx)
        .catch(() => undefined);
      throw error;
    }
    return this.queries.getPort(principal, portId);
  }
}

@CommandHandler(DeleteStandalonePort)
export class DeleteStandalonePortHandler implements ICommandHandler<DeleteStandalonePort, void> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: NetworkQueries,
  ) {}

  async execute({ portId, principal, requestId }: DeleteStandalonePort): Promise<void> {
    assertCanWrite(principal);
    const port = await this.queries.getPort(principal, portId);
    if (port.instanceId || port.router) {
      throw conflict(
        'PortInUse',
        `Port ${portId} is used by ${port.instanceId ?? `router ${port.router?.routerId}`}; delete the server or remove the router interface`,
      );
    }
    const ctx = { ...contextOf(principal, requestId), projectId: port.projectId };
    // The check above is for a clear answer; the port's stream decides (a launch may take it meanwhile).
    await this.executor.execute(portDecider, portStream(portId), { type: 'DeletePort', onlyIfFree: true, now: this.executor.now() }, ctx);
    await this.executor.execute(networkDecider, networkStream(port.networkId), { type: 'ReleaseIp', portId, now: this.executor.now() }, ctx);
  }
}
