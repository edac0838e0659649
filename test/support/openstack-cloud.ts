import { ADMIN_PASSWORD, Backing, RunningApp, createBacking, startApp } from './app';
import { StoreUnderTest } from './app';
import { OpenStackLogin, prepareCloud } from './openstack-clients';

/** A cloud for the OpenStack API suites: the app on a store, the admin's token, and a member (alice) of project demo logged in over Keystone. */
export type OpenStackCloud = {
  running: RunningApp;
  admin: string;
  alice: string;
  projectId: string;
  member: OpenStackLogin;
};

export const nova = (token: string) => ({ 'X-Auth-Token': token });
export const password = (user: Record<string, unknown>, scope?: unknown) => ({
  auth: { identity: { methods: ['password'], password: { user } }, ...(scope === undefined ? {} : { scope }) },
});

/** Registers the suite's set-up and tear-down; the cloud's fields are there from beforeAll on. */
export function openStackCloud(store: StoreUnderTest, overrides: NodeJS.ProcessEnv = {}): OpenStackCloud {
  const cloud = { member: { username: 'alice', password: 'alice long password', project: 'demo' } } as OpenStackCloud;
  let backing: Backing;
  beforeAll(async () => {
    backing = await createBacking(store, overrides);
    cloud.running = await startApp(backing);
    cloud.admin = await cloud.running.login('admin', ADMIN_PASSWORD, 'admin');
    ({ projectId: cloud.projectId } = await prepareCloud(cloud.running, cloud.admin, cloud.member));
    const login = await cloud.running.http
      .post('/identity/v3/auth/tokens')
      .send(
        password({ name: 'alice', domain: { name: 'Default' }, password: cloud.member.password }, { project: { name: 'demo', domain: { id: 'default' } } }),
      );
    cloud.alice = login.headers['x-subject-token'];
  });
  afterAll(async () => {
    await cloud.running?.close();
    await backing?.destroy();
  });
  return cloud;
}
