import { Backing, createBacking, startApp } from '../support/app';

describe('Bootstrap admin (embedded)', () => {
  let backing: Backing;
  afterAll(async () => backing?.destroy());

  it('generates a password when none is configured, shows it once, and never bootstraps twice', async () => {
    backing = await createBacking('embedded');
    backing.config.bootstrapPassword = undefined;
    const first = await startApp(backing);
    const lines = first.logs.map((l) => JSON.parse(l)).filter((l) => l.generatedPassword);
    expect(lines).toHaveLength(1);
    const password = lines[0].generatedPassword as string;
    expect(password.length).toBeGreaterThanOrEqual(20);
    const login = await first.http.post('/v1/auth/tokens').send({ username: 'admin', password, project: 'admin' });
    expect(login.status).toBe(201);
    expect(login.body.roles).toEqual(['admin']);
    await first.close();

    const second = await startApp(backing);
    expect(second.logs.some((l) => l.includes('generatedPassword'))).toBe(false);
    expect((await second.http.post('/v1/auth/tokens').send({ username: 'admin', password, project: 'admin' })).status).toBe(201);
    await second.close();
  });
});
