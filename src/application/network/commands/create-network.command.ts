import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { assertVlan, networkDecider, networkStream, subnetsLayout } from '../../../domain/network/network/network.decider';
import { SubnetRequest } from '../../../domain/network/network/subnet';
import { refused } from '../../../domain/shared/domain-error';
import { QuotaLedger, assertCanWrite } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { forbidden } from '../../shared/application-error';
import { CommandContext, Principal, contextOf, isAdmin } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { assertNameFree, claimFirstFree, claimKey, nameKey, releaseKey } from '../../shared/unique-names';
import { networkNameStream, networkReservation, vlanStream } from '../network-claims';
import { NETWORK_SETTINGS, NetworkSettings } from '../network.settings';
import { NETWORK_READ_MODEL, NetworkReadModel, NetworkView } from '../ports/network-read-model.port';

/** A subnet as a caller asks for it (its id is given here). */
export type NewSubnet = Omit<SubnetRequest, 'subnetId'>;
/** What only an admin may choose: the VLAN, and whether the network is external (a router's gateway, floating IPs) or shared. */
export type NetworkOptions = { vlan?: number; external?: boolean; shared?: boolean };

export class CreateNetwork {
  constructor(
    readonly name: string,
    /** None, one (REST's `cidr` shorthand) or several. */
    readonly subnets: readonly NewSubnet[],
    readonly options: NetworkOptions,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/**
 * Reserves the project's network quota, claims a name in the project and a VLAN, then creates the
 * network. Whatever fails gives back what was taken before it, in reverse order.
 */
@CommandHandler(CreateNetwork)
export class CreateNetworkHandler implements ICommandHandler<CreateNetwork, NetworkView> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly quota: QuotaLedger,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(NETWORK_READ_MODEL) private readonly readModel: NetworkReadModel,
    @Inject(NETWORK_SETTINGS) private readonly settings: NetworkSettings,
  ) {}

  async execute({ name, subnets: asked, options, principal, requestId }: CreateNetwork): Promise<NetworkView> {
    assertCanWrite(principal);
    const { vlan, external = false, shared = false } = options;
    if ((vlan !== undefined || external || shared) && !isAdmin(principal)) {
      throw forbidden('Only an admin may choose the VLAN of a network or make it external or shared');
    }
    const subnets = asked.map((s) => ({ ...s, subnetId: this.ids.next('subnet') }));
    // Refuse a bad VLAN, CIDR, gateway or pool before taking anything: a refused request appends nothing.
    if (vlan !== undefined) assertVlan(vlan);
    subnetsLayout(subnets);
    const networkId = this.ids.next('net');
    const projectId = principal.projectId;
    const sameName = await this.readModel.getNetwork(name, projectId);
    assertNameFree(name, sameName?.projectId === projectId ? sameName : null);
    const ctx = { ...contextOf(principal, requestId), projectId };
    const undo: Array<() => Promise<unknown>> = [];
    try {
      await this.quota.reserve(projectId, networkReservation(networkId), { networks: 1 }, ctx, { waitForReadModels: false });
      undo.push(() => this.quota.release(projectId, networkReservation(networkId), ctx));
      await claimKey(this.executor, networkNameStream(projectId, name), nameKey(name), networkId, ctx);
      undo.push(() => releaseKey(this.executor, networkNameStream(projectId, name), nameKey(name), networkId, ctx));
      const segment = vlan ?? (await this.allocateVlan(networkId, ctx));
      if (vlan !== undefined) await claimKey(this.executor, vlanStream(vlan), String(vlan), networkId, ctx);
      undo.push(() => releaseKey(this.executor, vlanStream(segment), String(segment), networkId, ctx));
      await this.executor.execute(
        networkDecider,
        networkStream(networkId),
        { type: 'CreateNetwork', networkId, projectId, name, vlan: segment, external, shared, subnets, now: this.executor.now() },
        ctx,
      );
    } catch (error) {
      for (const step of undo.reverse()) await step().catch(() => undefined);
      throw error;
    }
    return (await this.readModel.getNetwork(networkId, projectId)) as NetworkView;
  }

  /** The lowest VLAN of the pool that no live network holds; a lost race moves on to the next. */
  private async allocateVlan(networkId: string, ctx: CommandContext): Promise<number> {
    const used = new Set((await this.readModel.usedVlans()).map(String));
    const { vlanMin, vlanMax } = this.settings;
    const candidates = Array.from({ length: vlanMax - vlanMin + 1 }, (_, i) => ({ stream: vlanStream(vlanMin + i), key: String(vlanMin + i) }));
    const claimed = await claimFirstFree(this.executor, candidates, used, networkId, ctx);
    if (claimed !== null) return Number(claimed);
    throw refused('VlanPoolExhausted', `No free VLAN left in ${this.settings.vlanMin}-${this.settings.vlanMax}`);
  }
}
