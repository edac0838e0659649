import { Ec2Error } from './ec2-error';
import { SignedRequest, checkSigV4Time, expectedSignature, readSigV4, verifySigV4 } from './sigv4';

// The worked example of AWS's Signature Version 4 documentation (IAM ListUsers, 2015-08-30).
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const EXAMPLE: SignedRequest = {
  method: 'GET',
  path: '/',
  query: [
    ['Action', 'ListUsers'],
    ['Version', '2010-05-08'],
  ],
  headers: {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    host: 'iam.amazonaws.com',
    'x-amz-date': '20150830T123600Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
  },
  body: Buffer.alloc(0),
};
const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof Ec2Error ? error.code : String(error);
  }
  return 'no error';
};

describe('SigV4', () => {
  it("computes the documentation's signature and accepts it", () => {
    const claim = readSigV4(EXAMPLE);
    expect(claim).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', scope: { date: '20150830', region: 'us-east-1', service: 'iam' }, presigned: false });
    expect(expectedSignature(EXAMPLE, claim, SECRET)).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
    expect(() => verifySigV4(EXAMPLE, claim, SECRET)).not.toThrow();
  });

  it('refuses another secret, another query, another signed header value, and an unsigned host', () => {
    const claim = readSigV4(EXAMPLE);
    expect(code(() => verifySigV4(EXAMPLE, claim, `${SECRET}x`))).toBe('SignatureDoesNotMatch');
    expect(code(() => verifySigV4({ ...EXAMPLE, query: [['Action', 'DeleteUser'], EXAMPLE.query[1]] }, claim, SECRET))).toBe('SignatureDoesNotMatch');
    expect(code(() => verifySigV4({ ...EXAMPLE, headers: { ...EXAMPLE.headers, host: 'elsewhere' } }, claim, SECRET))).toBe('SignatureDoesNotMatch');
    expect(code(() => verifySigV4(EXAMPLE, { ...claim, signedHeaders: ['content-type', 'x-amz-date'] }, SECRET))).toBe('IncompleteSignature');
  });

  it('hashes the body unless x-amz-content-sha256 gives its hash', () => {
    const posted: SignedRequest = { ...EXAMPLE, method: 'POST', query: [], body: Buffer.from('Action=ListUsers&Version=2010-05-08') };
    const claim = readSigV4(posted);
    const signature = expectedSignature(posted, claim, SECRET);
    expect(expectedSignature({ ...posted, body: Buffer.from('Action=DeleteUser&Version=2010-05-08') }, claim, SECRET)).not.toBe(signature);
    const declared = { ...posted, headers: { ...posted.headers, 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } };
    expect(expectedSignature({ ...declared, body: Buffer.from('anything') }, claim, SECRET)).toBe(expectedSignature(declared, claim, SECRET));
  });

  it('names what is missing or not SigV4', () => {
    const { authorization: _, ...unsigned } = EXAMPLE.headers;
    expect(code(() => readSigV4({ ...EXAMPLE, headers: unsigned }))).toBe('MissingAuthenticationToken');
    expect(code(() => readSigV4({ ...EXAMPLE, headers: { ...unsigned, authorization: 'AWS AKIDEXAMPLE:abc' } }))).toBe('AuthFailure');
    expect(
      code(() =>
        readSigV4({
          ...EXAMPLE,
          headers: unsigned,
          query: [
            ['AWSAccessKeyId', 'AKIDEXAMPLE'],
            ['SignatureVersion', '2'],
          ],
        }),
      ),
    ).toBe('AuthFailure');
    expect(code(() => readSigV4({ ...EXAMPLE, headers: { ...EXAMPLE.headers, authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x' } }))).toBe(
      'IncompleteSignature',
    );
  });

  it('takes a request signed within 15 minutes, for ec2, dated as its scope', () => {
    const ec2 = { ...readSigV4(EXAMPLE), scope: { date: '20150830', region: 'RegionOne', service: 'ec2' } };
    const signedAt = Date.UTC(2015, 7, 30, 12, 36, 0);
    expect(() => checkSigV4Time(ec2, signedAt + 14 * 60_000)).not.toThrow();
    expect(() => checkSigV4Time(ec2, signedAt - 14 * 60_000)).not.toThrow();
    expect(code(() => checkSigV4Time(ec2, signedAt + 16 * 60_000))).toBe('RequestExpired');
    expect(code(() => checkSigV4Time({ ...ec2, scope: { ...ec2.scope, service: 'iam' } }, signedAt))).toBe('SignatureDoesNotMatch');
    expect(code(() => checkSigV4Time({ ...ec2, scope: { ...ec2.scope, date: '20150831' } }, signedAt))).toBe('SignatureDoesNotMatch');
    expect(code(() => checkSigV4Time({ ...ec2, presigned: true, expiresSeconds: 60 }, signedAt + 2 * 60_000))).toBe('RequestExpired');
  });
});
