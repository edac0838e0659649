import { parseAuthRequest } from './keystone-auth-request';
import { errorCodeOf } from '../../../../test/support/error-code';

const password = (user: object, scope?: unknown) => ({ auth: { identity: { methods: ['password'], password: { user } }, scope } });
const code = errorCodeOf;

describe('Keystone authentication requests', () => {
  it('reads a user by name in the Default domain or by id, and a project by id or name', () => {
    expect(parseAuthRequest(password({ name: 'alice', domain: { name: 'Default' }, password: 'pw' }, { project: { id: 'prj-1' } }))).toEqual({
      identity: { method: 'password', user: { name: 'alice' }, password: 'pw' },
      project: 'prj-1',
    });
    expect(parseAuthRequest(password({ id: 'usr-1', password: 'pw' }, { project: { name: 'demo', domain: { id: 'default' } } }))).toEqual({
      identity: { method: 'password', user: { id: 'usr-1' }, password: 'pw' },
      project: 'demo',
    });
    expect(parseAuthRequest(password({ name: 'alice', password: 'pw' })).project).toBeNull();
    expect(parseAuthRequest({ auth: { identity: { methods: ['token'], token: { id: 'tok-1.x' } }, scope: { project: { id: 'p' } } } })).toEqual({
      identity: { method: 'token', token: 'tok-1.x' },
      project: 'p',
    });
  });

  it('answers another domain as a failed authentication, and malformed bodies as bad requests', () => {
    expect(code(() => parseAuthRequest(password({ name: 'alice', domain: { name: 'Other' }, password: 'pw' })))).toBe('Unauthenticated');
    expect(code(() => parseAuthRequest(password({ name: 'alice', password: 'pw' }, { project: { name: 'p', domain: { id: 'other' } } })))).toBe(
      'Unauthenticated',
    );
    expect(code(() => parseAuthRequest(password({ name: 'alice', password: 'pw' }, { domain: { id: 'default' } })))).toBe('BadRequest');
    expect(code(() => parseAuthRequest({ auth: { identity: { methods: ['totp'] } } }))).toBe('BadRequest');
    expect(code(() => parseAuthRequest(password({ name: 'alice' })))).toBe('BadRequest');
    expect(code(() => parseAuthRequest('nothing'))).toBe('BadRequest');
  });
});
