import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/application/ports/event-store.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../../src/application/ports/read-model-progress.port';
import { createHttpApp } from '../../src/http-app';
import { Config, loadConfig } from '../../src/infrastructure/config/config';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { createTestDatabase } from './postgres';

export const ADMIN_PASSWORD = 'bootstrap-password-for-tests';

export type StoreUnderTest = 'embedded' | 'postgres';

/** Where an app keeps its data; several apps started on one backing share their data (restart tests). */
export type Backing = {
  config: Config;
  /** The ORCH_* settings behind `config`, for another process on the same data. */ env: NodeJS.ProcessEnv;
  destroy(): Promise<void>;
};

export async function createBacking(store: StoreUnderTest, overrides: NodeJS.ProcessEnv = {}): Promise<Backing> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-e2e-'));
  const database = store === 'postgres' ? await createTestDatabase('orch_e2e') : null;
  const env: NodeJS.ProcessEnv = {
    ORCH_STORE: store,
    ORCH_DATA_DIR: dataDir,
    ...(database ? { ORCH_DATABASE_URL: database.url } : {}),
    ORCH_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    ORCH_DEMO: 'off',
    ORCH_POLL_INTERVAL_MS: '20',
    ORCH_PG_POOL_SIZE: '10',
    ORCH_GRPC_PORT: 'off',
    ...overrides,
  };
  const config = loadConfig(env);
  return {
    config,
    env,
    destroy: async () => {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type RunningApp = {
  app: INestApplication;
  http: ReturnType<typeof request>;
  store: EventStore;
  logs: string[];
  login(username: string, password: string, project: string): Promise<string>;
  /** Resolves once the read models include everything appended so far (they lag a launch, which does not wait for them). */
  readModelsCaughtUp(): Promise<void>;
  close(): Promise<void>;
};

/** The real application (same module and HTTP set-up as main), listening on an ephemeral port. */
export async function startApp(backing: Backing): Promise<RunningApp> {
  const logs: string[] = [];
  const app = await createHttpApp(backing.config, new JsonLogger('info', (line) => logs.push(line)));
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const http = request(app.getHttpServer());
  return {
    app,
    http,
    store: app.get<EventStore>(EVENT_STORE),
    logs,
    async login(username, password, project) {
      const response = await http.post('/v1/auth/tokens').send({ username, password, project });
      if (response.status !== 201) throw new Error(`login ${username}@${project}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.token as string;
    },
    async readModelsCaughtUp() {
      const head = await app.get<EventStore>(EVENT_STORE).headPosition();
      if (!(await app.get<ReadModelProgress>(READ_MODEL_PROGRESS).waitFor(head))) throw new Error(`read models did not reach position ${head}`);
    },
    close: () => app.close(),
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Lifts the admin project's instance, vCPU and RAM quotas, for runs that launch far past the defaults; returns the project's id. */
export async function unlimitAdminProject(http: ReturnType<typeof request>, adminToken: string): Promise<string> {
  const projectId = (await http.get('/v1/projects').set(bearer(adminToken))).body.items[0].id;
  await http
    .patch(`/v1/projects/${projectId}`)
    .set(bearer(adminToken))
    .send({ quotas: { instances: -1, vcpus: -1, ramMiB: -1 } });
  return projectId;
}
