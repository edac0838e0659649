export const ROLES = ['admin', 'member', 'reader'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** What a role may do inside its project. `admin` may do everything in every project. */
export const canWrite = (role: Role) => role === 'admin' || role === 'member';
export const canRead = (_role: Role) => true;
