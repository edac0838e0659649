import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { RunningApp, bearer } from './app';

/** Who a client logs in as, and where. */
export type OpenStackLogin = { username: string; password: string; project: string };

export type ClientRun = { stdout: string; stderr: string };

/**
 * Runs a real client (by absolute path: a pyenv shim earlier on PATH lacks the libraries)
 * asynchronously, so that the app in this process keeps answering. A failure names the command
 * line and shows what the client printed.
 */
export function runClient(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: { PATH: '/usr/bin:/bin', HOME: os.tmpdir(), ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `${file} ${args.join(' ')} failed (exit ${String(error.code)}; ${error.message.split('\n')[0]}):\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
            ),
          );
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** The app's base URL (it listens on an ephemeral port). */
export function baseUrlOf(running: RunningApp): string {
  const { port } = running.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** The OS_* environment of the `openstack` CLI for a login, with the region set. */
export function openStackEnv(base: string, login: OpenStackLogin, region = 'RegionOne'): NodeJS.ProcessEnv {
  return {
    OS_AUTH_URL: `${base}/identity/v3`,
    OS_USERNAME: login.username,
    OS_PASSWORD: login.password,
    OS_PROJECT_NAME: login.project,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
    OS_REGION_NAME: region,
  };
}

/** `openstack … -f json`, parsed. */
export async function openstackJson<T = unknown>(env: NodeJS.ProcessEnv, ...args: string[]): Promise<T> {
  const { stdout } = await runClient('/usr/bin/openstack', [...args, '-f', 'json'], env);
  return JSON.parse(stdout) as T;
}

/** Runs a Python script with Debian's python3 (which has the OpenStack libraries); its last stdout line is JSON. */
export async function pythonJson<T = unknown>(script: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-py-'));
  const file = path.join(dir, 'script.py');
  fs.writeFileSync(file, script);
  try {
    const { stdout } = await runClient('/usr/bin/python3', [file], { ...env, PYTHONPATH: '' }, timeoutMs);
    const lines = stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]) as T;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Python that connects openstacksdk from a clouds.yaml it writes (`conn`, with `json` imported); a script goes on from there. */
export const sdkConnectionAs = (base: string, login: OpenStackLogin, region = 'RegionOne') => `import json, os, tempfile
import openstack
path = os.path.join(tempfile.mkdtemp(), 'clouds.yaml')
with open(path, 'w') as f:
    f.write('''clouds:
  orch:
    auth:
      auth_url: ${base}/identity/v3
      username: ${login.username}
      password: ${login.password}
      project_name: ${login.project}
      user_domain_name: Default
      project_domain_name: Default
    region_name: ${region}
    identity_api_version: 3
''')
os.environ['OS_CLIENT_CONFIG_FILE'] = path
conn = openstack.connect(cloud='orch')
`;

/** A small cloud made over REST: a project with a member, a flavor, an image, two simulated hosts and a network. */
export async function prepareCloud(running: RunningApp, admin: string, member: OpenStackLogin): Promise<{ projectId: string }> {
  const http = running.http;
  const project = await http
    .post('/v1/projects')
    .set(bearer(admin))
    .send({ name: member.project, quotas: { instances: 40, vcpus: 80, ramMiB: 40_960 } });
  if (project.status !== 201) throw new Error(`project: ${project.status} ${JSON.stringify(project.body)}`);
  const projectId = project.body.id as string;
  await http.post('/v1/users').set(bearer(admin)).send({ name: member.username, password: member.password, projectId, role: 'member' }).expect(201);
  await http.post('/v1/flavors').set(bearer(admin)).send({ name: 'm1.small', vcpus: 1, ramMiB: 512, diskGiB: 1 }).expect(201);
  await http.post('/v1/images').set(bearer(admin)).send({ name: 'cirros', os: 'linux', minDiskGiB: 1, source: '/images/cirros.qcow2' }).expect(201);
  for (const name of ['sim-a', 'sim-b']) {
    await http.post('/v1/hosts').set(bearer(admin)).send({ name, driver: 'simulated', vcpus: 32, ramMiB: 65_536, diskGiB: 1000 }).expect(201);
  }
  const token = await running.login(member.username, member.password, member.project);
  await http.post('/v1/networks').set(bearer(token)).send({ name: 'private', cidr: '10.0.0.0/24' }).expect(201);
  return { projectId };
}
