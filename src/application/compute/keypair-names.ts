import { nameKey } from '../shared/unique-names';

/** The claim stream that keeps a key pair's name unique in its project. */
export const keyPairNameStream = (projectId: string, name: string) => `name-keypair-${projectId}-${nameKey(name)}`;
