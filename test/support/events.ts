import { randomUUID } from 'node:crypto';
import { NewEvent } from '../../src/application/ports/event-store.port';

export function newEvent(type = 'Something', data: unknown = {}, projectId: string | null = null): NewEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: { principal: 'test', projectId, requestId: null, correlationId: randomUUID(), causationId: null, at: new Date().toISOString() },
  };
}

export const newEvents = (n: number, type = 'Something') => Array.from({ length: n }, (_, i) => newEvent(type, { i }));
