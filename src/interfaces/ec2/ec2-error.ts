import { DomainError } from '../../domain/shared/domain-error';
import { ErrorResponse, toErrorResponse } from '../http/shared/error-response';

/** A refusal in EC2's terms: its error code and the HTTP status EC2 answers it with. */
export class Ec2Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const ec2Invalid = (code: string, message: string) => new Ec2Error(400, code, message);
export const missingParameter = (name: string) => ec2Invalid('MissingParameter', `The request must contain the parameter ${name}`);
export const invalidValue = (name: string, value: unknown, why = 'is not valid') =>
  ec2Invalid('InvalidParameterValue', `Value (${String(value)}) for parameter ${name} ${why}`);

/** Our codes (REST's) as EC2 names them; a code not here keeps its status and becomes a generic EC2 code. */
const CODES: Record<string, string> = {
  InstanceNotFound: 'InvalidInstanceID.NotFound',
  ImageNotFound: 'InvalidAMIID.NotFound',
  FlavorNotFound: 'InvalidParameterValue',
  KeyPairNotFound: 'InvalidKeyPair.NotFound',
  KeyPairExists: 'InvalidKeyPair.Duplicate',
  InvalidPublicKey: 'InvalidKey.Format',
  SecurityGroupNotFound: 'InvalidGroup.NotFound',
  SecurityGroupExists: 'InvalidGroup.Duplicate',
  SecurityGroupInUse: 'DependencyViolation',
  RuleExists: 'InvalidPermission.Duplicate',
  RuleNotFound: 'InvalidPermission.NotFound',
  VolumeNotFound: 'InvalidVolume.NotFound',
  SnapshotNotFound: 'InvalidSnapshot.NotFound',
  VolumeHasSnapshots: 'VolumeInUse',
  VolumeInUse: 'VolumeInUse',
  FloatingIpNotFound: 'InvalidAllocationID.NotFound',
  NetworkNotFound: 'InvalidSubnetID.NotFound',
  QuotaExceeded: 'InstanceLimitExceeded',
  Forbidden: 'UnauthorizedOperation',
  Unauthenticated: 'AuthFailure',
  ValidationFailed: 'InvalidParameterValue',
  ServiceUnavailable: 'Unavailable',
  RateLimited: 'RequestLimitExceeded',
  InternalError: 'InternalError',
};

const GENERIC_BY_STATUS: Record<number, string> = {
  400: 'InvalidParameterValue',
  401: 'AuthFailure',
  403: 'UnauthorizedOperation',
  404: 'InvalidParameterValue',
  409: 'IncorrectState',
  413: 'InvalidParameterValue',
  422: 'IncorrectState',
  503: 'Unavailable',
};

/** EC2 answers a missing resource with 400, a bad credential with 401/403, an outage and a throttled request (RequestLimitExceeded) with 503. */
const statusFor = (ours: number) => (ours === 429 ? 503 : ours === 401 || ours === 403 || ours >= 500 ? ours : 400);

export type Ec2ErrorReply = { status: number; code: string; message: string; headers?: Record<string, string> };

/** Any error as EC2 would answer it (ours go through the API's one mapping first). */
export function ec2ErrorOf(error: unknown, requestId: string): Ec2ErrorReply {
  if (error instanceof Ec2Error) return { status: error.status, code: error.code, message: error.message };
  const response: ErrorResponse = toErrorResponse(error, requestId);
  const { code, message, details } = response.body.error;
  const detail = details.length > 0 ? `${message}: ${details.map((d) => (d.field ? `${d.field} ${d.message}` : d.message)).join('; ')}` : message;
  const ec2Code = CODES[code] ?? GENERIC_BY_STATUS[response.status] ?? 'InternalError';
  return { status: statusFor(response.status), code: ec2Code, message: detail, headers: response.headers };
}

/** Runs a call, naming some of our refusals as this action's EC2 codes (a taken name is a duplicate key pair here, a duplicate group there). */
export async function withCodes<T>(codes: Readonly<Record<string, string>>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && codes[error.code]) throw ec2Invalid(codes[error.code], error.message);
    throw error;
  }
}
