import {
  AccessKeyGrant,
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
import { Role } from '../../../domain/shared/roles';
import { Database } from '../../persistence/database';
import { toPage } from '../../persistence/paging';
import { AccessKeyRow, ProjectRow, TokenRow, UserRoleRow, UserRow } from './identity.tables';

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

export class SqlIdentityReadModel implements IdentityReadModel {
  constructor(private readonly db: Database) {}

  async getProject(id: string): Promise<ProjectView | null> {
    const row = await this.db.table(ProjectRow).first('id = ?', [id]);
    return row ? toProject(row) : null;
  }

  async findProjectByName(name: string): Promise<ProjectView | null> {
    const row = await this.db.table(ProjectRow).first('name = ?', [name]);
    return row ? toProject(row) : null;
  }

  async listProjects(projectId: string | null, page: PageRequest): Promise<Page<ProjectView>> {
    const rows = await this.db.table(ProjectRow).page(page, projectId ? { where: 'id = ?', params: [projectId] } : {});
    return toPage(rows, page, toProject);
  }

  async getUser(id: string): Promise<UserView | null> {
    const row = await this.db.table(UserRow).first('id = ?', [id]);
    return row ? (await this.withRoles([row]))[0] : null;
  }

  async findCredentials(user: { name: string } | { id: string }): Promise<UserCredentials | null> {
    const row = 'id' in user ? await this.db.table(UserRow).first('id = ?', [user.id]) : await this.db.table(UserRow).first('name = ?', [user.name]);
    return row ? { id: row.id, name: row.name, status: row.status, passwordHash: row.passwordHash } : null;
  }

  async listUsers(projectId: string | null, page: PageRequest): Promise<Page<UserView>> {
    const members = { where: 'id IN (SELECT user_id FROM rm_user_roles WHERE project_id = ?)', params: [projectId] };
    const rows = await this.db.table(UserRow).page(page, projectId ? members : {});
    const users = await this.withRoles(rows);
    return toPage(users, page, (u) => u);
  }

  async roleOf(userId: string, projectId: string): Promise<Role | null> {
    const row = await this.db.table(UserRoleRow).first('user_id = ? AND project_id = ?', [userId, projectId]);
    return (row?.role as Role) ?? null;
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    const row = await this.db.table(TokenRow).first('id = ?', [id]);
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
    const row = await this.db.table(AccessKeyRow).first('id = ?', [id]);
    return row ? toAccessKey(row) : null;
  }

  async getAccessKeyGrant(id: string): Promise<AccessKeyGrant | null> {
    const [row] = await this.db.query<{
      id: string;
      user_id: string;
      project_id: string;
      secret_ciphertext: string;
      status: string;
      created_at: string;
      user_name: string;
      user_status: string;
      role: string | null;
    }>(
      `SELECT k.id, k.user_id, k.project_id, k.secret_ciphertext, k.status, k.created_at, u.name AS user_name, u.status AS user_status, r.role
         FROM rm_access_keys k
         JOIN rm_users u ON u.id = k.user_id
         LEFT JOIN rm_user_roles r ON r.user_id = k.user_id AND r.project_id = k.project_id
        WHERE k.id = ${this.db.param(1)}`,
      [id],
    );
    if (!row) return null;
    return {
      key: {
        accessKeyId: row.id,
        userId: row.user_id,
        projectId: row.project_id,
        status: row.status,
        createdAt: row.created_at,
        secretCiphertext: row.secret_ciphertext,
      },
      userName: row.user_name,
      userStatus: row.user_status,
      role: (row.role as Role | null) ?? null,
    };
  }

  async listAccessKeys(userId: string | null, page: PageRequest): Promise<Page<AccessKeyView>> {
    const rows = await this.db
      .table(AccessKeyRow)
      .page(page, userId ? { where: "status = 'active' AND user_id = ?", params: [userId] } : { where: "status = 'active'" });
    return toPage(rows, page, (r) => {
      const { secretCiphertext: _secret, ...view } = toAccessKey(r);
      return view;
    });
  }

  private async withRoles(rows: UserRow[]): Promise<UserView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const roles = await this.db.table(UserRoleRow).find({ where: `user_id IN (${ids.map(() => '?').join(', ')})`, params: ids, orderBy: 'project_id' });
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
