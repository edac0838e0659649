import { Request } from 'express';
import { Principal } from '../../../application/shared/command-context';

/** The express request as this API sees it, after the request-id middleware and the auth guard. */
export type HttpRequest = Request & { requestId: string; principal?: Principal; startedAt: bigint };
