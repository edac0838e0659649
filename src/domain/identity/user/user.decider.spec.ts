import { specFor } from '../../../../test/support/decider-spec';
import { UserEvent, userDecider } from './user.decider';

const at = '2026-01-01T00:00:00.000Z';
const registered: UserEvent[] = [
  { type: 'UserRegistered', data: { userId: 'usr-1', name: 'alice', passwordHash: 'h', at } },
  { type: 'RoleAssigned', data: { userId: 'usr-1', projectId: 'prj-1', role: 'member', at } },
];
const spec = specFor(userDecider);

describe('User decider', () => {
  it('registers a user with a role in a project', () =>
    spec
      .given([])
      .when({ type: 'RegisterUser', userId: 'usr-1', name: 'alice', passwordHash: 'h', projectId: 'prj-1', role: 'member', now: at })
      .then(registered));

  it('refuses to register twice', () =>
    spec
      .given(registered)
      .when({ type: 'RegisterUser', userId: 'usr-1', name: 'alice', passwordHash: 'h', projectId: 'prj-1', role: 'member', now: at })
      .thenThrows('UserExists'));

  it('assigns, changes and revokes roles; repeating changes nothing', () => {
    spec.given(registered).when({ type: 'AssignRole', projectId: 'prj-1', role: 'member', now: at }).then([]);
    spec
      .given(registered)
      .when({ type: 'AssignRole', projectId: 'prj-1', role: 'reader', now: at })
      .then([{ type: 'RoleAssigned', data: { userId: 'usr-1', projectId: 'prj-1', role: 'reader', at } }]);
    spec
      .given(registered)
      .when({ type: 'RevokeRole', projectId: 'prj-1', now: at })
      .then([{ type: 'RoleRevoked', data: { userId: 'usr-1', projectId: 'prj-1', at } }]);
    spec.given(registered).when({ type: 'RevokeRole', projectId: 'prj-2', now: at }).then([]);
  });

  it('refuses changes to a disabled user, and to one that does not exist', () => {
    const disabled: UserEvent[] = [...registered, { type: 'UserDisabled', data: { userId: 'usr-1', at } }];
    spec.given(disabled).when({ type: 'AssignRole', projectId: 'prj-2', role: 'member', now: at }).thenThrows('UserDisabled');
    spec.given(disabled).when({ type: 'DisableUser', now: at }).then([]);
    spec.given([]).when({ type: 'ChangePassword', passwordHash: 'x', now: at }).thenThrows('UserNotFound');
  });
});
