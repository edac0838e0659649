import { Principal } from '../../application/shared/command-context';

/**
 * The caller narrowed to its own project. OpenStack lists an admin's own key pairs and networks
 * (and picks a server's network among them) unless every project is asked for; our queries list
 * every project's for an admin. Narrowing an admin to a member can only see less.
 */
export const withinOwnProject = (p: Principal): Principal => (p.role === 'admin' ? { ...p, role: 'member' } : p);
