import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

@Unique(['name'])
@Entity('rm_projects')
export class ProjectRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('simple-json') quotas!: Record<string, number>;
  @Column('simple-json') usage!: Record<string, number>;
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

@Unique(['name'])
@Entity('rm_users')
export class UserRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text') status!: string;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

@Index(['projectId'])
@Entity('rm_user_roles')
export class UserRoleRow {
  @PrimaryColumn('text', { name: 'user_id' }) userId!: string;
  @PrimaryColumn('text', { name: 'project_id' }) projectId!: string;
  @Column('text') role!: string;
}

@Entity('rm_tokens')
export class TokenRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text', { name: 'secret_hash' }) secretHash!: string;
  @Column('text', { name: 'expires_at' }) expiresAt!: string;
  @Column('integer') revoked!: number;
  @Column('text', { name: 'issued_at' }) issuedAt!: string;
}

@Index(['userId'])
@Entity('rm_access_keys')
export class AccessKeyRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text', { name: 'secret_ciphertext' }) secretCiphertext!: string;
  @Column('text') status!: string;
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

export const IDENTITY_TABLES = [ProjectRow, UserRow, UserRoleRow, TokenRow, AccessKeyRow];
