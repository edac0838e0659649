import { createHash } from 'node:crypto';

/** A locally administered MAC in OpenStack's fa:16:3e prefix, stable for a port. */
export function macFor(portId: string): string {
  const bytes = createHash('sha256').update(portId).digest().subarray(0, 3);
  return ['fa', '16', '3e', ...[...bytes].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}
