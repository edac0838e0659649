import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { postgresReachable, PG_ADMIN_URL } from './postgres';
import { GUEST_IMAGE_DIR } from './guest-image';
import * as net from 'node:net';
import { HAPROXY } from './load-balancer';
import { ensureBuilt } from './orch-cli';

/** Something answers on the Kafka broker's port (scripts/ensure-kafka.sh). */
function kafkaAnswers(): Promise<boolean> {
  const [host, port] = (process.env.KAFKA_TEST_BROKERS || '127.0.0.1:9092').split(',')[0].split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) }, () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
    socket.setTimeout(3_000, () => (socket.destroy(), resolve(false)));
  });
}

/** libvirtd and Open vSwitch answer, and the guest image is built (what the real-driver suites need). */
function virtReady(): string | null {
  try {
    execFileSync('virsh', ['-c', 'qemu:///system', 'list', '--all'], { stdio: 'ignore', timeout: 20_000 });
    execFileSync('ovs-vsctl', ['--timeout=5', 'show'], { stdio: 'ignore', timeout: 20_000 });
  } catch (error) {
    return `libvirtd or Open vSwitch does not answer (${String(error).split('\n')[0]})`;
  }
  for (const f of ['vmlinuz', 'initrd.img', 'base.qcow2']) if (!fs.existsSync(path.join(GUEST_IMAGE_DIR, f))) return `no guest image in ${GUEST_IMAGE_DIR}`;
  return null;
}

/** The real OpenStack clients are installed (scripts/ensure-openstack-clients.sh). */
/** Whether Debian's python3 imports these modules and the client's program is there (both by absolute path). */
function clientsReady(imports: string, program: string): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', `import ${imports}`], { stdio: 'ignore', timeout: 60_000 });
    return fs.existsSync(program);
  } catch {
    return false;
  }
}

/**
 * Decides once, before any worker starts, whether PostgreSQL suites run. The answer reaches the
 * workers through the environment. With CI=true an unreachable server fails the run.
 */
export default async function globalSetup(): Promise<void> {
  // The CLI and console suites run what `npm run build` made (built once here, if sources changed).
  ensureBuilt();
  const reachable = await postgresReachable();
  if (!reachable && process.env.CI === 'true') {
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}; CI=true forbids skipping its suites`);
  }
  process.env.ORCH_TEST_PG = reachable ? '1' : '0';
  if (!reachable) process.stdout.write(`\n!!! SKIPPED: every PostgreSQL suite (not reachable at ${PG_ADMIN_URL}) !!!\n`);
  const virtProblem = virtReady();
  if (virtProblem && process.env.CI === 'true') throw new Error(`${virtProblem}; CI=true forbids skipping the real-infrastructure suites`);
  process.env.ORCH_TEST_VIRT = virtProblem ? '0' : '1';
  if (virtProblem) process.stdout.write(`\n!!! SKIPPED: every real-infrastructure suite (${virtProblem}) !!!\n`);
  const kafka = await kafkaAnswers();
  if (!kafka && process.env.CI === 'true') throw new Error('the Kafka broker does not answer; CI=true forbids skipping its suites');
  process.env.ORCH_TEST_KAFKA = kafka ? '1' : '0';
  const clients = clientsReady('keystoneauth1, novaclient, openstack, glanceclient, libcloud', '/usr/bin/openstack');
  if (!clients && process.env.CI === 'true') throw new Error('the OpenStack clients are not installed; CI=true forbids skipping their suites');
  process.env.ORCH_TEST_OPENSTACK = clients ? '1' : '0';
  const aws = clientsReady('boto3, botocore', '/usr/bin/aws');
  if (!aws && process.env.CI === 'true') throw new Error('the AWS clients are not installed; CI=true forbids skipping their suites');
  process.env.ORCH_TEST_AWS = aws ? '1' : '0';
  const haproxy = fs.existsSync(HAPROXY);
  if (!haproxy && process.env.CI === 'true') throw new Error(`${HAPROXY} is not installed; CI=true forbids skipping the multi-process suites`);
  process.env.ORCH_TEST_HAPROXY = haproxy ? '1' : '0';
  const zipkin = (await fetch(`${process.env.ZIPKIN_TEST_URL || 'http://127.0.0.1:9411'}/health`).catch(() => null))?.status === 200;
  if (!zipkin && process.env.CI === 'true') throw new Error('the Zipkin server does not answer; CI=true forbids skipping the tracing suite');
  process.env.ORCH_TEST_ZIPKIN = zipkin ? '1' : '0';
  if (!zipkin) process.stdout.write('\n!!! SKIPPED: the tracing suite (no Zipkin answers; scripts/ensure-zipkin.sh starts one) !!!\n');
  const browser = fs.existsSync('/usr/bin/chromium');
  if (!browser && process.env.CI === 'true') throw new Error('chromium is not installed; CI=true forbids skipping the web console suite');
  process.env.ORCH_TEST_CHROMIUM = browser ? '1' : '0';
  if (!browser) process.stdout.write('\n!!! SKIPPED: the web console suite (scripts/ensure-chromium.sh installs chromium) !!!\n');
  const prometheus = fs.existsSync('/usr/bin/prometheus') && fs.existsSync('/usr/bin/promtool');
  if (!prometheus && process.env.CI === 'true') throw new Error('prometheus and promtool are not installed; CI=true forbids skipping their suite');
  process.env.ORCH_TEST_PROMETHEUS = prometheus ? '1' : '0';
  if (!prometheus) process.stdout.write('\n!!! SKIPPED: the Prometheus suite (scripts/ensure-prometheus.sh installs it) !!!\n');
  if (!haproxy) process.stdout.write('\n!!! SKIPPED: every multi-process suite behind haproxy (scripts/ensure-haproxy.sh installs it) !!!\n');
  if (!aws) process.stdout.write('\n!!! SKIPPED: every AWS client suite (scripts/ensure-aws-clients.sh installs them) !!!\n');
  if (!clients) process.stdout.write('\n!!! SKIPPED: every OpenStack client suite (scripts/ensure-openstack-clients.sh installs them) !!!\n');
  if (!kafka) process.stdout.write('\n!!! SKIPPED: every Kafka suite (no broker answers; scripts/ensure-kafka.sh starts one) !!!\n');
}
