import { Body, Controller, Delete, Get, Head, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Authenticator } from '../../../application/identity/authenticator';
import { IssueToken, IssuedToken } from '../../../application/identity/commands/issue-token.command';
import { RescopeToken } from '../../../application/identity/commands/rescope-token.command';
import { RevokeToken } from '../../../application/identity/commands/revoke-token.command';
import { IdentityQueries } from '../../../application/identity/identity.queries';
import { unauthenticated } from '../../../application/shared/application-error';
import { Principal } from '../../../application/shared/command-context';
import { invalid, notFound } from '../../../domain/shared/domain-error';
import { Access, CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf, regionsAt } from '../shared/openstack.settings';
import { DEFAULT_DOMAIN, parseAuthRequest } from './keystone-auth-request';
import { keystoneCatalog } from './keystone-catalog';
import { keystoneProject, listLinks } from './keystone-views';

type TokenFacts = {
  tokenId: string;
  method: string;
  user: { id: string; name: string };
  project: { id: string; name: string };
  role: string;
  issuedAt: string;
  expiresAt: string;
};

/** Keystone v3 tokens: issue (password or token method), validate, revoke; the caller's projects and catalog. */
@ApiExcludeController()
@Controller('identity/v3/auth')
export class KeystoneAuthController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: IdentityQueries,
    private readonly authenticator: Authenticator,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
  ) {}

  @Post('tokens')
  @Access('public')
  @HttpCode(201)
  async issue(@Body() body: unknown, @Req() req: Request, @RequestId() requestId: string, @Res({ passthrough: true }) res: Response) {
    const auth = parseAuthRequest(body);
    const ttl = this.settings.tokenTtlSeconds;
    const issued: IssuedToken =
      auth.identity.method === 'password'
        ? await this.commands.execute(
            new IssueToken('name' in auth.identity.user ? auth.identity.user.name : auth.identity.user, auth.identity.password, auth.project, ttl, requestId),
          )
        : await this.commands.execute(new RescopeToken(await this.authenticator.authenticate(auth.identity.token), auth.project, ttl, requestId));
    res.setHeader('X-Subject-Token', issued.token);
    const tokenId = issued.token.split('.')[0];
    const issuedAt = new Date(Date.parse(issued.expiresAt) - ttl * 1000).toISOString();
    return this.tokenBody(req, {
      tokenId,
      method: auth.identity.method,
      user: issued.user,
      project: issued.project,
      role: issued.roles[0],
      issuedAt,
      expiresAt: issued.expiresAt,
    });
  }

  @Get('tokens')
  @Access('authenticated')
  async validate(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const subject = await this.subjectOf(req);
    const lifetime = await this.queries.tokenLifetime(p, subject);
    const project = await this.queries.getProject(subject, subject.projectId);
    res.setHeader('X-Subject-Token', String(req.headers['x-subject-token']));
    return this.tokenBody(req, {
      tokenId: subject.tokenId as string,
      method: 'password',
      user: { id: subject.userId, name: subject.userName },
      project,
      role: subject.role,
      ...lifetime,
    });
  }

  @Head('tokens')
  @HttpCode(200)
  @Access('authenticated')
  async check(@CurrentPrincipal() p: Principal, @Req() req: Request): Promise<void> {
    await this.queries.tokenLifetime(p, await this.subjectOf(req));
  }

  @Delete('tokens')
  @HttpCode(204)
  @Access('authenticated')
  async revoke(@CurrentPrincipal() p: Principal, @Req() req: Request, @RequestId() requestId: string): Promise<void> {
    const subject = await this.subjectOf(req);
    await this.commands.execute(new RevokeToken(subject.tokenId as string, p, requestId));
  }

  @Get('projects')
  @Access('authenticated')
  async projects(@CurrentPrincipal() p: Principal, @Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    const projects = await this.queries.projectsOf(p, p.userId);
    return { projects: projects.map((x) => keystoneProject(x, base)), links: listLinks(base, 'auth/projects') };
  }

  @Get('catalog')
  @Access('authenticated')
  catalog(@Req() req: Request, @CurrentPrincipal() p: Principal) {
    return {
      catalog: keystoneCatalog(regionsAt(baseUrlOf(req, this.settings), this.settings), p.projectId),
      links: listLinks(baseUrlOf(req, this.settings), 'auth/catalog'),
    };
  }

  /** The token named by `X-Subject-Token`: 404 when it is not valid (Keystone's answer), 400 when absent. */
  private async subjectOf(req: Request): Promise<Principal> {
    const subject = req.headers['x-subject-token'];
    if (typeof subject !== 'string' || subject.length === 0) throw invalid('BadRequest', 'X-Subject-Token is required');
    try {
      return await this.authenticator.authenticate(subject);
    } catch (error) {
      if ((error as { code?: string }).code === unauthenticated().code) throw notFound('TokenNotFound', 'The token is not valid');
      throw error;
    }
  }

  private tokenBody(req: Request, t: TokenFacts) {
    const base = baseUrlOf(req, this.settings);
    return {
      token: {
        methods: [t.method],
        user: { id: t.user.id, name: t.user.name, domain: { ...DEFAULT_DOMAIN }, password_expires_at: null },
        project: { id: t.project.id, name: t.project.name, domain: { ...DEFAULT_DOMAIN } },
        roles: [{ id: t.role, name: t.role }],
        is_domain: false,
        catalog: keystoneCatalog(regionsAt(base, this.settings), t.project.id),
        audit_ids: [t.tokenId],
        issued_at: t.issuedAt,
        expires_at: t.expiresAt,
      },
    };
  }
}
