import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/shared/domain-error';
import { Principal, isAdmin } from '../shared/command-context';
import { assertInScope, listingScope } from './access';
import { QuotaLedger } from './quota-ledger';
import { AccessKeyView, IDENTITY_READ_MODEL, IdentityReadModel, ProjectView, UserView } from './ports/identity-read-model.port';
import { Page, PageRequest } from '../shared/paging';
import { QUOTA_RESOURCES, QuotaResource } from '../../domain/identity/quota/quota';
import { tokenStream } from '../../domain/identity/token/token.decider';
import { EVENT_STORE, EventStore } from '../ports/event-store.port';

export type ProjectUsage = { projectId: string } & Record<QuotaResource, { limit: number; used: number }>;

const PROJECT_NOT_FOUND = { code: 'ProjectNotFound', message: 'Project not found' };

/** Identity's read side, scoped to what the caller may see. */
@Injectable()
export class IdentityQueries {
  constructor(
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
    private readonly quota: QuotaLedger,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** When the subject's token was issued and expires; only its holder or an admin may ask (404 otherwise). */
  async tokenLifetime(p: Principal, subject: Principal): Promise<{ issuedAt: string; expiresAt: string }> {
    const token = subject.tokenId ? await this.readModel.getToken(subject.tokenId) : null;
    if (!token || (!isAdmin(p) && token.userId !== p.userId)) throw notFound('TokenNotFound', 'Token not found');
    const [issued] = await this.store.readStream(tokenStream(token.id));
    return { issuedAt: issued.metadata.at, expiresAt: token.expiresAt };
  }

  async getProject(p: Principal, id: string): Promise<ProjectView> {
    assertInScope(p, id, PROJECT_NOT_FOUND);
    const project = await this.readModel.getProject(id);
    if (!project) throw notFound(PROJECT_NOT_FOUND.code, PROJECT_NOT_FOUND.message);
    return project;
  }

  /** The projects a user has a role in: one's own, or any user's for an admin. */
  async projectsOf(p: Principal, userId: string): Promise<ProjectView[]> {
    const user = userId === p.userId || isAdmin(p) ? await this.readModel.getUser(userId) : null;
    if (!user) throw notFound('UserNotFound', 'User not found');
    const projects = await Promise.all(user.roles.map((r) => this.readModel.getProject(r.projectId)));
    return projects.filter((x): x is ProjectView => x !== null);
  }

  listProjects(p: Principal, page: PageRequest): Promise<Page<ProjectView>> {
    return this.readModel.listProjects(listingScope(p), page);
  }

  /** From the project's quota stream in this region: exact the moment a reservation is recorded, whatever the read models' lag. */
  async usage(p: Principal, id: string): Promise<ProjectUsage> {
    assertInScope(p, id, PROJECT_NOT_FOUND);
    const state = await this.quota.current(id);
    if (state.status !== 'active') throw notFound(PROJECT_NOT_FOUND.code, PROJECT_NOT_FOUND.message);
    const usage = { projectId: state.projectId } as ProjectUsage;
    for (const r of QUOTA_RESOURCES) usage[r] = { limit: state.quotas[r], used: state.usage[r] };
    return usage;
  }

  async getUser(p: Principal, id: string): Promise<UserView> {
    const user = await this.readModel.getUser(id);
    const visible = user && (isAdmin(p) || user.id === p.userId || user.roles.some((r) => r.projectId === p.projectId));
    if (!user || !visible) throw notFound('UserNotFound', 'User not found');
    return isAdmin(p) ? user : { ...user, roles: user.roles.filter((r) => r.projectId === p.projectId) };
  }

  async listUsers(p: Principal, page: PageRequest): Promise<Page<UserView>> {
    const result = await this.readModel.listUsers(listingScope(p), page);
    if (isAdmin(p)) return result;
    return { ...result, items: result.items.map((u) => ({ ...u, roles: u.roles.filter((r) => r.projectId === p.projectId) })) };
  }

  listAccessKeys(p: Principal, page: PageRequest): Promise<Page<AccessKeyView>> {
    return this.readModel.listAccessKeys(isAdmin(p) ? null : p.userId, page);
  }
}
