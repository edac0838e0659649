import { RecordedEvent } from '../ports/event-store.port';

/** Fields never shown through the API, even to an admin: hashes and ciphertexts of secrets. */
const SECRET_FIELDS = new Set(['passwordHash', 'secretHash', 'secretCiphertext']);

export const redact = (event: RecordedEvent): RecordedEvent => {
  if (typeof event.data !== 'object' || event.data === null) return event;
  const data = Object.fromEntries(Object.entries(event.data).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : v]));
  return { ...event, data };
};
