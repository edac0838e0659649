/**
 * The streams of the identity every region shares: projects, users, tokens, access keys, and the
 * claims on project and user names (unique across the cloud). Every other stream, a project's
 * quota included, belongs to its region.
 */
const IDENTITY_STREAM = /^(?:project|user|token|access-key|name-project|name-user)-/;

export const isIdentityStream = (stream: string): boolean => IDENTITY_STREAM.test(stream);
