/** A well-formed OpenSSH ed25519 public key line, different for each seed. */
export function ed25519Key(seed: number): string {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, seed);
  const blob = Buffer.concat([Buffer.from([0, 0, 0, type.length]), type, Buffer.from([0, 0, 0, 32]), key]);
  return `ssh-ed25519 ${blob.toString('base64')} user@example`;
}
