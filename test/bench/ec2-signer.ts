import { SigV4Claim, SignedRequest, expectedSignature } from '../../src/interfaces/ec2/sigv4';

/**
 * Headers of a SigV4-signed EC2 Query POST, for the benchmark's own client (the real clients are
 * exercised by the test suites; here only the server's cost matters).
 */
export function signedEc2Post(url: string, body: string, key: { accessKeyId: string; secretAccessKey: string }, region = 'RegionOne'): Record<string, string> {
  const target = new URL(url);
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: target.host, 'x-amz-date': amzDate };
  const claim: SigV4Claim = {
    accessKeyId: key.accessKeyId,
    amzDate,
    scope: { date: amzDate.slice(0, 8), region, service: 'ec2' },
    signedHeaders: ['content-type', 'host', 'x-amz-date'],
    signature: '',
    presigned: false,
    expiresSeconds: null,
  };
  const request: SignedRequest = { method: 'POST', path: target.pathname, query: [], headers, body: Buffer.from(body) };
  const signature = expectedSignature(request, claim, key.secretAccessKey);
  const { date, service } = claim.scope;
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${date}/${region}/${service}/aws4_request, SignedHeaders=${claim.signedHeaders.join(';')}, Signature=${signature}`,
  };
}
