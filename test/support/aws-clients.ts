import * as os from 'node:os';
import { RunningApp, bearer } from './app';
import { baseUrlOf, runClient } from './openstack-clients';

/** An access key as `POST /v1/access-keys` issues it. */
export type AccessKey = { accessKeyId: string; secretAccessKey: string };

export async function createAccessKey(running: RunningApp, token: string): Promise<AccessKey> {
  const response = await running.http.post('/v1/access-keys').set(bearer(token)).send({});
  if (response.status !== 201) throw new Error(`access key: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as AccessKey;
}

/** The EC2 endpoint of a running app. */
export const ec2Endpoint = (running: RunningApp) => `${baseUrlOf(running)}/ec2`;

/** The environment of Debian's awscli and boto3 for a key: no config files, the region every request is signed for. */
export function awsEnv(key: AccessKey, region = 'RegionOne'): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    HOME: os.tmpdir(),
  };
}

/** `aws ec2 <args> --output json` against the endpoint, parsed (null for a command that prints nothing). */
export async function awsEc2<T = Record<string, unknown>>(endpoint: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<T> {
  const { stdout } = await runClient('/usr/bin/aws', ['--endpoint-url', endpoint, 'ec2', ...args, '--output', 'json'], env, 300_000);
  return (stdout.trim() === '' ? null : JSON.parse(stdout)) as T;
}

/** What a failed `aws` run printed and its exit code. */
export async function awsEc2Failure(endpoint: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await runClient('/usr/bin/aws', ['--endpoint-url', endpoint, 'ec2', ...args, '--output', 'json'], env);
  } catch (error) {
    const message = (error as Error).message;
    const code = /\(exit (\d+);/.exec(message);
    return { code: code?.[1] ? Number(code[1]) : -1, stderr: message };
  }
  throw new Error(`aws ec2 ${args.join(' ')} succeeded, a failure was expected`);
}

/** Python with boto3's EC2 client `ec2` connected to the endpoint (`json` imported); a script goes on from there. */
export const boto3Ec2 = (endpoint: string, key: AccessKey, region = 'RegionOne') => `import json
import boto3, botocore
ec2 = boto3.client('ec2', endpoint_url='${endpoint}', region_name='${region}',
                   aws_access_key_id='${key.accessKeyId}', aws_secret_access_key='${key.secretAccessKey}')
def error_code(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response['Error']['Code']
    return 'no error'
`;
