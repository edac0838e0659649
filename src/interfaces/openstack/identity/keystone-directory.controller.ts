import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { IdentityQueries } from '../../../application/identity/identity.queries';
import { Principal } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { notFound } from '../../../domain/shared/domain-error';
import { ROLES, isRole } from '../../../domain/shared/roles';
import { Access, CurrentPrincipal } from '../../http/shared/decorators';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf, regionsAt } from '../shared/openstack.settings';
import { RawQuery, queryValue } from '../shared/openstack-query';
import { DEFAULT_DOMAIN } from './keystone-auth-request';
import { keystoneDomain, keystoneProject, keystoneRole, keystoneUser, listLinks } from './keystone-views';

/** Keystone v3's directory over Identity: the Default domain, projects, users and roles (ours: admin, member, reader). */
@ApiExcludeController()
@Controller('identity/v3')
export class KeystoneDirectoryController {
  constructor(
    private readonly queries: IdentityQueries,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
  ) {}

  @Get('projects')
  @Access('admin')
  async projects(@CurrentPrincipal() p: Principal, @Query() q: RawQuery, @Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    const name = queryValue(q, 'name');
    const projects = await allItems((page) => this.queries.listProjects(p, page));
    return { projects: projects.filter((x) => name === undefined || x.name === name).map((x) => keystoneProject(x, base)), links: listLinks(base, 'projects') };
  }

  @Get('projects/:id')
  async project(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Req() req: Request) {
    return { project: keystoneProject(await this.queries.getProject(p, id), baseUrlOf(req, this.settings)) };
  }

  @Get('users')
  @Access('admin')
  async users(@CurrentPrincipal() p: Principal, @Query() q: RawQuery, @Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    const name = queryValue(q, 'name');
    const users = await allItems((page) => this.queries.listUsers(p, page));
    return { users: users.filter((u) => name === undefined || u.name === name).map((u) => keystoneUser(u, base)), links: listLinks(base, 'users') };
  }

  @Get('users/:id')
  async user(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Req() req: Request) {
    return { user: keystoneUser(await this.queries.getUser(p, id), baseUrlOf(req, this.settings)) };
  }

  /** A user's projects: one's own, or anyone's for an admin. */
  @Get('users/:id/projects')
  async userProjects(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    const projects = await this.queries.projectsOf(p, id);
    return { projects: projects.map((x) => keystoneProject(x, base)), links: listLinks(base, `users/${id}/projects`) };
  }

  @Get('roles')
  roles(@Query() q: RawQuery, @Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    const name = queryValue(q, 'name');
    return { roles: ROLES.filter((r) => name === undefined || r === name).map((r) => keystoneRole(r, base)), links: listLinks(base, 'roles') };
  }

  @Get('roles/:id')
  role(@Param('id') id: string, @Req() req: Request) {
    if (!isRole(id)) throw notFound('RoleNotFound', 'Role not found');
    return { role: keystoneRole(id, baseUrlOf(req, this.settings)) };
  }

  @Get('domains')
  domains(@Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    return { domains: [keystoneDomain(base)], links: listLinks(base, 'domains') };
  }

  @Get('domains/:id')
  domain(@Param('id') id: string, @Req() req: Request) {
    if (id !== DEFAULT_DOMAIN.id) throw notFound('DomainNotFound', 'Domain not found');
    return { domain: keystoneDomain(baseUrlOf(req, this.settings)) };
  }

  /** The cloud's regions: this one and those ORCH_REGIONS names (`openstack region list`). */
  @Get('regions')
  regions(@Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    return {
      regions: regionsAt(base, this.settings).map(({ name: id }) => ({
        id,
        description: '',
        parent_region_id: null,
        links: { self: `${base}/identity/v3/regions/${id}` },
      })),
      links: listLinks(base, 'regions'),
    };
  }
}
