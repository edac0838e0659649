/** `describe` when PostgreSQL was found by the global set-up, `describe.skip` (counted as skipped) otherwise. */
export const describeWithPostgres: jest.Describe = process.env.ORCH_TEST_PG === '1' ? describe : describe.skip;

/** `describe` when libvirt, Open vSwitch and the guest image were found by the global set-up (scripts/ensure-virt.sh). */
export const describeWithVirt: jest.Describe = process.env.ORCH_TEST_VIRT === '1' ? describe : describe.skip;

/** `describe` when the Kafka broker of scripts/ensure-kafka.sh answered the global set-up. */
export const describeWithKafka: jest.Describe = process.env.ORCH_TEST_KAFKA === '1' ? describe : describe.skip;

export const KAFKA_BROKERS = process.env.KAFKA_TEST_BROKERS || '127.0.0.1:9092';

/** Both PostgreSQL and Kafka (the relay and billing processes share the orchestrator's database). */
export const describeWithPostgresAndKafka: jest.Describe = process.env.ORCH_TEST_PG === '1' && process.env.ORCH_TEST_KAFKA === '1' ? describe : describe.skip;

/** `describe` when the real OpenStack clients were found by the global set-up. */
export const describeWithOpenStackClients: jest.Describe = process.env.ORCH_TEST_OPENSTACK === '1' ? describe : describe.skip;

/** `describe` when awscli and boto3 were found by the global set-up. */
export const describeWithAwsClients: jest.Describe = process.env.ORCH_TEST_AWS === '1' ? describe : describe.skip;

/** Both PostgreSQL and the AWS clients. */
export const describeWithPostgresAndAwsClients: jest.Describe =
  process.env.ORCH_TEST_PG === '1' && process.env.ORCH_TEST_AWS === '1' ? describe : describe.skip;

/** PostgreSQL and Debian's haproxy (scripts/ensure-haproxy.sh): several orchestrator processes behind a load balancer. */
export const describeWithPostgresAndHaproxy: jest.Describe =
  process.env.ORCH_TEST_PG === '1' && process.env.ORCH_TEST_HAPROXY === '1' ? describe : describe.skip;

/** PostgreSQL and the OpenStack clients: regions reached by the real `openstack` CLI and novaclient. */
export const describeWithPostgresAndOpenStackClients: jest.Describe =
  process.env.ORCH_TEST_PG === '1' && process.env.ORCH_TEST_OPENSTACK === '1' ? describe : describe.skip;

/** Debian's prometheus and promtool (scripts/ensure-prometheus.sh). */
export const describeWithPrometheus: jest.Describe = process.env.ORCH_TEST_PROMETHEUS === '1' ? describe : describe.skip;

/** A Kafka broker and a Zipkin server (scripts/ensure-kafka.sh, scripts/ensure-zipkin.sh). */
export const describeWithKafkaAndZipkin: jest.Describe = process.env.ORCH_TEST_KAFKA === '1' && process.env.ORCH_TEST_ZIPKIN === '1' ? describe : describe.skip;

/** Debian's chromium (scripts/ensure-chromium.sh), driven by playwright-core. */
export const describeWithChromium: jest.Describe = process.env.ORCH_TEST_CHROMIUM === '1' ? describe : describe.skip;
