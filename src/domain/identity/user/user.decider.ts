import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, notFound } from '../../shared/domain-error';
import { Role } from '../../shared/roles';

export type UserEvent =
  | DomainEvent<'UserRegistered', { userId: string; name: string; passwordHash: string; at: string }>
  | DomainEvent<'RoleAssigned', { userId: string; projectId: string; role: Role; at: string }>
  | DomainEvent<'RoleRevoked', { userId: string; projectId: string; at: string }>
  | DomainEvent<'UserPasswordChanged', { userId: string; passwordHash: string; at: string }>
  | DomainEvent<'UserDisabled', { userId: string; at: string }>;

export type UserCommand =
  | { type: 'RegisterUser'; userId: string; name: string; passwordHash: string; projectId: string; role: Role; now: string }
  | { type: 'AssignRole'; projectId: string; role: Role; now: string }
  | { type: 'RevokeRole'; projectId: string; now: string }
  | { type: 'ChangePassword'; passwordHash: string; now: string }
  | { type: 'DisableUser'; now: string };

export type UserState =
  { status: 'absent' } | { status: 'active' | 'disabled'; userId: string; name: string; passwordHash: string; roles: Record<string, Role> };

export const userStream = (userId: string) => `user-${userId}`;

export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (command.type === 'RegisterUser') {
      if (state.status !== 'absent') throw conflict('UserExists', `User ${command.userId} already exists`);
      const { userId, name, passwordHash, projectId, role, now } = command;
      return [
        { type: 'UserRegistered', data: { userId, name, passwordHash, at: now } },
        { type: 'RoleAssigned', data: { userId, projectId, role, at: now } },
      ];
    }
    if (state.status === 'absent') throw notFound('UserNotFound', 'User not found');
    if (state.status === 'disabled' && command.type !== 'DisableUser') throw conflict('UserDisabled', 'User is disabled');
    const userId = state.userId;
    switch (command.type) {
      case 'AssignRole':
        if (state.roles[command.projectId] === command.role) return [];
        return [{ type: 'RoleAssigned', data: { userId, projectId: command.projectId, role: command.role, at: command.now } }];
      case 'RevokeRole':
        if (!state.roles[command.projectId]) return [];
        return [{ type: 'RoleRevoked', data: { userId, projectId: command.projectId, at: command.now } }];
      case 'ChangePassword':
        return [{ type: 'UserPasswordChanged', data: { userId, passwordHash: command.passwordHash, at: command.now } }];
      case 'DisableUser':
        if (state.status === 'disabled') return [];
        return [{ type: 'UserDisabled', data: { userId, at: command.now } }];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'UserRegistered':
        return { status: 'active', userId: event.data.userId, name: event.data.name, passwordHash: event.data.passwordHash, roles: {} };
      case 'RoleAssigned':
        return state.status === 'absent' ? state : { ...state, roles: { ...state.roles, [event.data.projectId]: event.data.role } };
      case 'RoleRevoked': {
        if (state.status === 'absent') return state;
        const { [event.data.projectId]: _revoked, ...roles } = state.roles;
        return { ...state, roles };
      }
      case 'UserPasswordChanged':
        return state.status === 'absent' ? state : { ...state, passwordHash: event.data.passwordHash };
      case 'UserDisabled':
        return state.status === 'absent' ? state : { ...state, status: 'disabled' };
      default:
        return assertNever(event);
    }
  },
};
