/** Password hashing, secret generation and encryption; implemented with node:crypto. */
export interface Secrets {
  hashPassword(password: string): Promise<string>;
  verifyPassword(password: string, hash: string): Promise<boolean>;
  /** A random secret (URL-safe), e.g. a token or access-key secret. */
  randomSecret(bytes: number): string;
  /** A fast one-way digest for high-entropy secrets (token secrets). */
  digest(secret: string): string;
  /** Constant-time comparison of two digests. */
  digestsEqual(a: string, b: string): boolean;
  /** OpenSSH's SHA256 fingerprint (`SHA256:…`) of a public key blob given in base64. */
  sshFingerprint(blobBase64: string): string;
  /** A new SSH key pair: the public key in OpenSSH's one-line format, the private key in PEM (what Nova hands out). */
  sshKeyPair(comment: string): Promise<{ publicKey: string; privateKey: string }>;
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
}
export const SECRETS = Symbol('Secrets');
