import { createCipheriv, createDecipheriv, createHash, generateKeyPair, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Secrets } from '../../application/ports/secrets.port';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** scrypt cost parameters (N=2^14, r=8, p=1: ~16 MiB and tens of ms per hash). */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;

/**
 * node:crypto behind the Secrets port. Password hashes are self-describing
 * (`scrypt$N$r$p$salt$hash`, base64url) so the cost can be raised later without breaking old ones.
 * Encryption is AES-256-GCM under the master key (`iv.tag.ciphertext`, base64url).
 */
export class NodeSecrets implements Secrets {
  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
  }

  async hashPassword(password: string): Promise<string> {
    const salt = randomBytes(16);
    const hash = await scryptAsync(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
    return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
  }

  async verifyPassword(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length || KEY_LENGTH, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: 64 * 1024 * 1024,
    });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  randomSecret(bytes: number): string {
    return randomBytes(bytes).toString('base64url');
  }

  digest(secret: string): string {
    return createHash('sha256').update(secret).digest('base64url');
  }

  digestsEqual(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }

  async sshKeyPair(comment: string): Promise<{ publicKey: string; privateKey: string }> {
    const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshString(mpint(jwk.e as string)), sshString(mpint(jwk.n as string))]);
    return { publicKey: `ssh-rsa ${blob.toString('base64')} ${comment}`, privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string };
  }

  sshFingerprint(blobBase64: string): string {
    return `SHA256:${createHash('sha256').update(Buffer.from(blobBase64, 'base64')).digest('base64').replace(/=+$/, '')}`;
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  decrypt(ciphertext: string): string {
    const [iv, tag, body] = ciphertext.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}

/** RFC 4251 string: a 32-bit length, then the bytes. */
function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** RFC 4251 mpint of a positive big-endian number given in base64url: a leading zero when its top bit is set. */
function mpint(base64url: string): Buffer {
  const bytes = Buffer.from(base64url, 'base64url');
  return bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}
