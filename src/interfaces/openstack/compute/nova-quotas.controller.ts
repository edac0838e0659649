import { Body, Controller, Get, Param, Put, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { UpdateProjectQuotas } from '../../../application/identity/commands/update-project-quotas.command';
import { IdentityQueries, ProjectUsage } from '../../../application/identity/identity.queries';
import { Principal } from '../../../application/shared/command-context';
import { Amounts, DEFAULT_QUOTAS, Quotas } from '../../../domain/identity/quota/quota';
import { invalid } from '../../../domain/shared/domain-error';
import { MAX_METADATA_ITEMS } from '../../../domain/shared/metadata';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { Microversion, NovaMicroversionInterceptor, NovaVersion } from './nova-microversion';
import { isObject } from '../shared/openstack-body';

/** Nova's quota names for ours; what Nova has and we do not limit shows as unlimited (-1). */
const NOVA_QUOTAS = { instances: 'instances', cores: 'vcpus', ram: 'ramMiB' } as const;
const UNLIMITED_HERE = ['key_pairs', 'server_groups', 'server_group_members'];
/** Gone at 2.57, with file injection. */
const INJECTED_FILES = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];
/** Shown only before 2.36, when Nova stopped proxying the network service. */
const NETWORK_QUOTAS = ['fixed_ips', 'security_groups', 'security_group_rules'];

function quotaSet(limits: Quotas, v: Microversion): Record<string, number> {
  const set: Record<string, number> = {};
  for (const [nova, ours] of Object.entries(NOVA_QUOTAS)) set[nova] = limits[ours];
  for (const name of UNLIMITED_HERE) set[name] = -1;
  if (v < 57) for (const name of INJECTED_FILES) set[name] = -1;
  set.metadata_items = MAX_METADATA_ITEMS;
  if (v < 36) {
    for (const name of NETWORK_QUOTAS) set[name] = -1;
    set.floating_ips = limits.floatingIps;
    set.networks = limits.networks;
  }
  return set;
}

const limitsOf = (u: ProjectUsage): Quotas => ({
  instances: u.instances.limit,
  vcpus: u.vcpus.limit,
  ramMiB: u.ramMiB.limit,
  volumes: u.volumes.limit,
  volumeGiB: u.volumeGiB.limit,
  networks: u.networks.limit,
  floatingIps: u.floatingIps.limit,
});

/** Nova's quota sets and limits over the project's quotas and usage (exact: read from the project's stream). */
@ApiExcludeController()
@UseInterceptors(NovaMicroversionInterceptor)
@Controller('compute/v2.1')
export class NovaQuotasController {
  constructor(
    private readonly commands: CommandBus,
    private readonly identity: IdentityQueries,
  ) {}

  @Get('os-quota-sets/:projectId/defaults')
  defaults(@Param('projectId') projectId: string, @NovaVersion() v: Microversion) {
    return { quota_set: { id: projectId, ...quotaSet(DEFAULT_QUOTAS, v) } };
  }

  @Get('os-quota-sets/:projectId/detail')
  async detail(@Param('projectId') projectId: string, @CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion) {
    const usage = await this.identity.usage(p, projectId);
    const set: Record<string, unknown> = { id: projectId };
    for (const [name, limit] of Object.entries(quotaSet(limitsOf(usage), v))) {
      const ours = NOVA_QUOTAS[name as keyof typeof NOVA_QUOTAS];
      set[name] = { limit, in_use: ours ? usage[ours].used : 0, reserved: 0 };
    }
    return { quota_set: set };
  }

  @Get('os-quota-sets/:projectId')
  async show(@Param('projectId') projectId: string, @CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion) {
    return { quota_set: { id: projectId, ...quotaSet(limitsOf(await this.identity.usage(p, projectId)), v) } };
  }

  @Put('os-quota-sets/:projectId')
  async update(
    @Param('projectId') projectId: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @NovaVersion() v: Microversion,
  ) {
    const given = isObject(body) ? body.quota_set : undefined;
    if (!isObject(given)) throw invalid('BadRequest', 'Expected {"quota_set": {...}}');
    const amounts: Record<string, number> = {};
    for (const [name, value] of Object.entries(given)) {
      if (name === 'force') continue;
      const ours = NOVA_QUOTAS[name as keyof typeof NOVA_QUOTAS];
      if (!ours) throw invalid('BadRequest', `The quota ${name} is not limited by this cloud; instances, cores and ram are`);
      const n = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw invalid('BadRequest', `Invalid input for field/attribute ${name}.`);
      amounts[ours] = n;
    }
    await this.commands.execute(new UpdateProjectQuotas(projectId, amounts as Amounts, p, r));
    return { quota_set: quotaSet(limitsOf(await this.identity.usage(p, projectId)), v) };
  }

  @Get('limits')
  async limits(@CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion) {
    const u = await this.identity.usage(p, p.projectId);
    return {
      limits: {
        rate: [],
        absolute: {
          maxTotalInstances: u.instances.limit,
          maxTotalCores: u.vcpus.limit,
          maxTotalRAMSize: u.ramMiB.limit,
          maxTotalKeypairs: -1,
          maxServerMeta: MAX_METADATA_ITEMS,
          maxImageMeta: -1,
          ...(v < 57 ? { maxPersonality: 0, maxPersonalitySize: 0 } : {}),
          maxServerGroups: -1,
          maxServerGroupMembers: -1,
          ...(v < 36 ? { maxTotalFloatingIps: u.floatingIps.limit, maxSecurityGroups: -1, maxSecurityGroupRules: -1 } : {}),
          totalInstancesUsed: u.instances.used,
          totalCoresUsed: u.vcpus.used,
          totalRAMUsed: u.ramMiB.used,
          ...(v < 36 ? { totalFloatingIpsUsed: u.floatingIps.used } : {}),
        },
      },
    };
  }
}
