import { In, MoreThan } from 'typeorm';
import {
  AccessKeyRecord,
  AccessKeyView,
  IdentityReadModel,
  ProjectView,
  TokenGrant,
  TokenRecord,
  UserCredentials,
  UserView,
} from '../../../application/identity/ports/identity-read-model.port';
import { Page, PageRequest } from '../../../application/shared/paging';
import { QuotaResource, Quotas } from '../../../domain/identity/quota/quota';
import { Role } from '../../../domain/identity/roles';
import { Database } from '../../persistence/database';
import { decodeCursor, toPage } from '../paging';
import { AccessKeyRow, ProjectRow, TokenRow, UserRoleRow, UserRow } from '../../persistence/read-model.entities';

const toProject = (r: ProjectRow): ProjectView => ({
  id: r.id,
  name: r.name,
  quotas: r.quotas as Quotas,
  usage: r.usage as Record<QuotaResource, number>,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toAccessKey = (r: AccessKeyRow): AccessKeyRecord => ({
  accessKeyId: r.id,
  userId: r.userId,
  projectId: r.projectId,
  status: r.status,
  createdAt: r.createdAt,
  secretCiphertext: r.secretCiphertext,
});

export class TypeOrmIdentityReadModel implements IdentityReadModel {
  constructor(private readonly db: Database) {}

  private get m() {
    return this.db.reader.manager;
  }

  async getProject(id: string): Promise<ProjectView | null> {
    const row = await this.m.findOneBy(ProjectRow, { id });
    return row ? toProject(row) : null;
  }

  async findProjectByName(name: string): Promise<ProjectView | null> {
    const row = await this.m.findOneBy(ProjectRow, { name });
    return row ? toProject(row) : null;
  }

  async listProjects(projectId: string | null, page: PageRequest): Promise<Page<ProjectView>> {
    const after = decodeCursor(page.cursor);
    if (projectId && after && after >= projectId) return { items: [], nextCursor: null };
    const rows = await this.m.find(ProjectRow, {
      where: projectId ? { id: projectId } : after ? { id: MoreThan(after) } : {},
      order: { id: 'ASC' },
      take: page.limit + 1,
    });
    return toPage(rows, page, toProject);
  }

  async getUser(id: string): Promise<UserView | null> {
    const row = await this.m.findOneBy(UserRow, { id });
    return row ? (await this.withRoles([row]))[0] : null;
  }

  async findCredentials(name: string): Promise<UserCredentials | null> {
    const row = await this.m.findOneBy(UserRow, { name });
    return row ? { id: row.id, name: row.name, status: row.status, passwordHash: row.passwordHash } : null;
  }

  async listUsers(projectId: string | null, page: PageRequest): Promise<Page<UserView>> {
    const after = decodeCursor(page.cursor);
    const query = this.m
      .createQueryBuilder(UserRow, 'u')
      .orderBy('u.id', 'ASC')
      .take(page.limit + 1);
    if (projectId) query.innerJoin(UserRoleRow, 'r', 'r.user_id = u.id AND r.project_id = :projectId', { projectId });
    if (after) query.andWhere('u.id > :after', { after });
    const rows = await query.getMany();
    const users = await this.withRoles(rows);
    return toPage(users, page, (u) => u);
  }

  async roleOf(userId: string, projectId: string): Promise<Role | null> {
    const row = await this.m.findOneBy(UserRoleRow, { userId, projectId });
    return (row?.role as Role) ?? null;
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    const row = await this.m.findOneBy(TokenRow, { id });
    return row
      ? { id: row.id, userId: row.userId, projectId: row.projectId, secretHash: row.secretHash, expiresAt: row.expiresAt, revoked: row.revoked === 1 }
      : null;
  }

  async getTokenGrant(id: string): Promise<TokenGrant | null> {
    const p = (n: number) => this.db.param(n);
    const [row] = await this.db.query<{
      id: string;
      user_id: string;
      project_id: string;
      secret_hash: string;
      expires_at: string;
      revoked: number;
      user_name: string;
      user_status: string;
      role: string | null;
    }>(
      `SELECT t.id, t.user_id, t.project_id, t.secret_hash, t.expires_at, t.revoked, u.name AS user_name, u.status AS user_status, r.role
         FROM rm_tokens t
         JOIN rm_users u ON u.id = t.user_id
         LEFT JOIN rm_user_roles r ON r.user_id = t.user_id AND r.project_id = t.project_id
        WHERE t.id = ${p(1)}`,
      [id],
    );
    if (!row) return null;
    return {
      token: {
        id: row.id,
        userId: row.user_id,
        projectId: row.project_id,
        secretHash: row.secret_hash,
        expiresAt: row.expires_at,
        revoked: Number(row.revoked) === 1,
      },
      userName: row.user_name,
      userStatus: row.user_status,
      role: (row.role as Role | null) ?? null,
    };
  }

  async getAccessKey(id: string): Promise<AccessKeyRecord | null> {
    const row = await this.m.findOneBy(AccessKeyRow, { id });
    return row ? toAccessKey(row) : null;
  }

  async listAccessKeys(userId: string | null, page: PageRequest): Promise<Page<AccessKeyView>> {
    const after = decodeCursor(page.cursor);
    const rows = await this.m.find(AccessKeyRow, {
      where: { status: 'active', ...(userId ? { userId } : {}), ...(after ? { id: MoreThan(after) } : {}) },
      order: { id: 'ASC' },
      take: page.limit + 1,
    });
    return toPage(rows, page, (r) => {
      const { secretCiphertext: _secret, ...view } = toAccessKey(r);
      return view;
    });
  }

  private async withRoles(rows: UserRow[]): Promise<UserView[]> {
    if (rows.length === 0) return [];
    const roles = await this.m.find(UserRoleRow, { where: { userId: In(rows.map((r) => r.id)) }, order: { projectId: 'ASC' } });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status as UserView['status'],
      roles: roles.filter((x) => x.userId === r.id).map((x) => ({ projectId: x.projectId, role: x.role as Role })),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }));
  }
}
