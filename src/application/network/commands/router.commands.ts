import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import { LiveRouter, RouterCommand, RouterLeg, routerDecider, routerStream } from '../../../domain/network/router/router.decider';
import { invalid, notFound } from '../../../domain/shared/domain-error';
import { assertCanWrite } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { CommandContext, Principal, contextOf, isAdmin } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { NetworkQueries } from '../network.queries';
import { RouterView } from '../ports/network-read-model.port';
import { RouterLegs } from '../router-legs';
import { RouterRealizer } from '../router-realizer';

/** What a router's owner may do to it; each returns the router as it then is (or nothing, deleted). */
export type RouterChange =
  /** With a gateway (a network id or name), set at once: refused before anything is recorded if that network cannot have one. */
  | { kind: 'create'; name: string; gateway?: string }
  | { kind: 'rename'; name: string }
  /** A network id or name; null clears the gateway. */
  | { kind: 'gateway'; network: string | null }
  | { kind: 'add-interface'; subnetId: string }
  /** By subnet, or by the interface's port. */
  | { kind: 'remove-interface'; subnetId?: string; portId?: string }
  | { kind: 'delete' };

export class ChangeRouter {
  constructor(
    /** Null for `create`. */
    readonly routerId: string | null,
    readonly change: RouterChange,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** Routers: created, renamed, given or relieved of a gateway, joined to subnets and parted from them, deleted when no interface is left. */
@CommandHandler(ChangeRouter)
export class ChangeRouterHandler implements ICommandHandler<ChangeRouter, RouterView | null> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: NetworkQueries,
    private readonly legs: RouterLegs,
    private readonly realizer: RouterRealizer,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ routerId, change, principal, requestId }: ChangeRouter): Promise<RouterView | null> {
    assertCanWrite(principal);
    if (change.kind === 'create') return this.create(change, principal, requestId);
    const router = await this.load(principal, routerId ?? '');
    const ctx = { ...contextOf(principal, requestId), projectId: router.projectId };
    const after = await this.change(router, change, principal, ctx);
    const touched = new Set([...router.interfaces, ...(after?.interfaces ?? [])].map((i) => i.networkId));
    await this.realizer.routerChanged(router.routerId, [...touched]);
    return after;
  }

  private async create({ name, gateway }: Extract<RouterChange, { kind: 'create' }>, principal: Principal, requestId: string | null): Promise<RouterView> {
    const id = this.ids.next('rtr');
    const ctx = contextOf(principal, requestId);
    const network = gateway === undefined ? null : await this.queries.getNetwork(principal, gateway);
    if (network && !network.external)
      throw invalid('NetworkNotExternal', `Network ${network.name} is not external; a router's gateway must be on an external network`);
    await this.run(id, { type: 'CreateRouter', routerId: id, projectId: principal.projectId, name, now: this.executor.now() }, ctx);
    if (network) {
      // The gateway's address may still be refused (the pool is full): then the router goes too.
      const router = await this.load(principal, id);
      await this.changeGateway(router, network.id, principal, ctx).catch(async (error: unknown) => {
        await this.run(id, { type: 'DeleteRouter', now: this.executor.now() }, ctx).catch(() => undefined);
        throw error;
      });
      await this.realizer.routerChanged(id, []);
    }
    return this.queries.getRouter(principal, id);
  }

  private async change(
    router: LiveRouter,
    change: Exclude<RouterChange, { kind: 'create' }>,
    principal: Principal,
    ctx: CommandContext,
  ): Promise<RouterView | null> {
    switch (change.kind) {
      case 'rename':
        await this.run(router.routerId, { type: 'RenameRouter', name: change.name, now: this.executor.now() }, ctx);
        break;
      case 'gateway':
        await this.changeGateway(router, change.network, principal, ctx);
        break;
      case 'add-interface': {
        const { network, subnet } = await this.queries.getSubnet(principal, change.subnetId);
        if (!isAdmin(principal) && network.projectId !== router.projectId) throw notFound('SubnetNotFound', 'Subnet not found');
        const leg = await this.legs.takeInterface(router, network, subnet, ctx);
        await this.withUndo(leg, ctx, () =>
          this.run(router.routerId, { type: 'AddInterface', leg: { ...leg, subnetId: subnet.subnetId }, now: this.executor.now() }, ctx),
        );
        break;
      }
      case 'remove-interface': {
        const leg = router.interfaces.find((i) => i.subnetId === change.subnetId || i.portId === change.portId);
        if (!leg) throw notFound('RouterInterfaceNotFound', `The router has no interface on ${change.subnetId ?? change.portId}`);
        await this.run(router.routerId, { type: 'RemoveInterface', subnetId: leg.subnetId, now: this.executor.now() }, ctx);
        await this.legs.giveBack(leg, ctx);
        break;
      }
      case 'delete':
        await this.run(router.routerId, { type: 'DeleteRouter', now: this.executor.now() }, ctx);
        if (router.gateway) await this.legs.giveBack(router.gateway, ctx);
        return null;
    }
    return this.queries.getRouter(principal, router.routerId);
  }

  private async changeGateway(router: LiveRouter, networkIdOrName: string | null, principal: Principal, ctx: CommandContext): Promise<void> {
    const network = networkIdOrName === null ? null : await this.queries.getNetwork(principal, networkIdOrName);
    if (router.gateway && router.gateway.networkId === network?.id) return;
    if (router.gateway) {
      await this.run(router.routerId, { type: 'ClearGateway', now: this.executor.now() }, ctx);
      await this.legs.giveBack(router.gateway, ctx);
    }
    if (!network) return;
    const leg = await this.legs.takeGateway(router, network, ctx);
    await this.withUndo(leg, ctx, () => this.run(router.routerId, { type: 'SetGateway', gateway: leg, now: this.executor.now() }, ctx));
  }

  /** Runs the router's step; when it fails, the leg taken for it is given back. */
  private async withUndo(leg: RouterLeg, ctx: CommandContext, step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (error) {
      await this.legs.giveBack(leg, ctx).catch(() => undefined);
      throw error;
    }
  }

  private async load(p: Principal, routerId: string): Promise<LiveRouter> {
    const view = await this.queries.getRouter(p, routerId);
    const { state } = await this.executor.load(routerDecider, routerStream(view.id));
    if (state.status !== 'active') throw notFound('RouterNotFound', 'Router not found');
    return state;
  }

  private run(routerId: string, command: RouterCommand, ctx: CommandContext) {
    return this.executor.execute(routerDecider, routerStream(routerId), command, ctx);
  }
}
