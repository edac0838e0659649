import { randomBytes, randomUUID } from 'node:crypto';
import { IdGenerator, IdPrefix } from '../../application/ports/id-generator.port';

/** `<prefix>-<20 hex characters>` (80 random bits) for resources, uuid v4 for events. */
export const randomIds: IdGenerator = {
  next: (prefix: IdPrefix) => `${prefix}-${randomBytes(10).toString('hex')}`,
  uuid: () => randomUUID(),
};
