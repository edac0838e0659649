import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Ec2Error } from './ec2-error';

/** What a signature is computed over, as the server received it. */
export type SignedRequest = {
  method: string;
  /** The path as sent (percent-encoded), without the query. */
  path: string;
  /** The query's pairs in the order sent, decoded. */
  query: ReadonlyArray<readonly [string, string]>;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
};

/** A SigV4 signature's claims, read from the Authorization header or the query string (presigned). */
export type SigV4Claim = {
  accessKeyId: string;
  /** `yyyymmddThhmmssZ` */
  amzDate: string;
  scope: { date: string; region: string; service: string };
  signedHeaders: string[];
  signature: string;
  presigned: boolean;
  expiresSeconds: number | null;
};

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60_000;

const authFailure = (message: string) => new Ec2Error(401, 'AuthFailure', message);
const incomplete = (message: string) => new Ec2Error(400, 'IncompleteSignature', message);

const headerOf = (request: SignedRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};
const queryOf = (request: SignedRequest, name: string) => request.query.find(([k]) => k === name)?.[1];

/** Reads the claims; no credentials at all is MissingAuthenticationToken, SigV2 and other schemes are refused by name. */
export function readSigV4(request: SignedRequest): SigV4Claim {
  const authorization = headerOf(request, 'authorization');
  if (authorization !== undefined) {
    if (!authorization.startsWith(`${ALGORITHM} `)) throw authFailure('Only AWS Signature Version 4 (AWS4-HMAC-SHA256) is accepted');
    const fields = new Map(
      authorization
        .slice(ALGORITHM.length + 1)
        .split(',')
        .map((part) => part.trim().split('=', 2) as [string, string]),
    );
    const [credential, signedHeaders, signature] = [fields.get('Credential'), fields.get('SignedHeaders'), fields.get('Signature')];
    if (!credential || !signedHeaders || !signature) throw incomplete('The Authorization header must carry Credential, SignedHeaders and Signature');
    const amzDate = headerOf(request, 'x-amz-date');
    if (!amzDate) throw incomplete('A signed request must carry an X-Amz-Date header');
    return { ...credentialParts(credential), amzDate, signedHeaders: signedHeaders.split(';'), signature, presigned: false, expiresSeconds: null };
  }
  if (queryOf(request, 'X-Amz-Algorithm') !== undefined) {
    if (queryOf(request, 'X-Amz-Algorithm') !== ALGORITHM) throw authFailure('Only AWS Signature Version 4 (AWS4-HMAC-SHA256) is accepted');
    const [credential, amzDate, signedHeaders, signature] = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].map((n) =>
      queryOf(request, n),
    );
    if (!credential || !amzDate || !signedHeaders || !signature)
      throw incomplete('A presigned request must carry X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Signature');
    const expires = queryOf(request, 'X-Amz-Expires');
    return {
      ...credentialParts(credential),
      amzDate,
      signedHeaders: signedHeaders.split(';'),
      signature,
      presigned: true,
      expiresSeconds: expires === undefined ? null : Number(expires),
    };
  }
  if (queryOf(request, 'AWSAccessKeyId') !== undefined || queryOf(request, 'SignatureVersion') !== undefined) {
    throw authFailure('AWS Signature Version 2 is not accepted here; sign requests with Signature Version 4');
  }
  throw new Ec2Error(401, 'MissingAuthenticationToken', 'The request must carry AWS Signature Version 4 credentials');
}

function credentialParts(credential: string): Pick<SigV4Claim, 'accessKeyId' | 'scope'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') throw incomplete(`Credential ${credential} is not <key>/<date>/<region>/<service>/aws4_request`);
  const [accessKeyId, date, region, service] = parts;
  return { accessKeyId, scope: { date, region, service } };
}

/** Refuses a claim outside its time: more than 15 minutes from now, or past a presigned request's expiry. */
export function checkSigV4Time(claim: SigV4Claim, nowMs: number): void {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(claim.amzDate);
  if (!match) throw incomplete(`X-Amz-Date ${claim.amzDate} is not yyyymmddThhmmssZ`);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const signedAt = Date.UTC(y, mo - 1, d, h, mi, s);
  if (claim.scope.date !== claim.amzDate.slice(0, 8)) throw new Ec2Error(403, 'SignatureDoesNotMatch', 'The credential scope date does not match X-Amz-Date');
  if (claim.scope.service !== 'ec2') throw new Ec2Error(403, 'SignatureDoesNotMatch', `The credential scope names service ${claim.scope.service}, not ec2`);
  const late = claim.presigned && claim.expiresSeconds !== null && nowMs > signedAt + claim.expiresSeconds * 1000;
  if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS || late) {
    throw new Ec2Error(400, 'RequestExpired', `Request has expired: signed at ${claim.amzDate}, more than 15 minutes from the server's time`);
  }
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, spaces as %20. */
export const uriEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

function canonicalRequest(request: SignedRequest, claim: SigV4Claim): string {
  const path =
    request.path
      .split('/')
      .map((segment) => uriEncode(safeDecode(segment)))
      .join('/') || '/';
  const query = request.query
    .filter(([name]) => !(claim.presigned && name === 'X-Amz-Signature'))
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const headers = claim.signedHeaders.map((name) => `${name}:${(headerOf(request, name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = headerOf(request, 'x-amz-content-sha256') ?? sha256Hex(request.body);
  return [request.method, path, query, headers, claim.signedHeaders.join(';'), payloadHash].join('\n');
}

const safeDecode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * Signing keys by secret and scope: the same for every request of a key on a day, so derived once
 * (a pure function's results, bounded; nothing here decides anything another process could contradict).
 */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 10_000;

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${date}/${region}/${service}/${secret}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** The signature the request should carry if signed with this secret. */
export function expectedSignature(request: SignedRequest, claim: SigV4Claim, secret: string): string {
  const { date, region, service } = claim.scope;
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, claim.amzDate, scope, sha256Hex(canonicalRequest(request, claim))].join('\n');
  return createHmac('sha256', signingKey(secret, date, region, service))
    .update(stringToSign)
    .digest('hex');
}

/** Checks the signature in constant time; the host header must be among those signed. */
export function verifySigV4(request: SignedRequest, claim: SigV4Claim, secret: string): void {
  if (!claim.signedHeaders.includes('host')) throw incomplete('The host header must be signed');
  const expected = Buffer.from(expectedSignature(request, claim, secret), 'utf8');
  const given = Buffer.from(claim.signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new Ec2Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided');
  }
}
