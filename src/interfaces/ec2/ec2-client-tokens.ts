import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { IDEMPOTENCY_STORE, IdempotencyStore } from '../../application/ports/idempotency.port';
import { Ec2Call } from './ec2-action';
import { Ec2Error, ec2Invalid, invalidValue } from './ec2-error';

/** Parameters that do not make two requests different ones. */
const NOT_COMPARED = new Set(['ClientToken', 'DryRun']);

/**
 * EC2's ClientToken: awscli and boto3 send a random one with RunInstances and CreateVolume and retry
 * a failed attempt with it. The first request's result is kept (in the store `Idempotency-Key` uses)
 * and the same token answers it again; the same token with other parameters is
 * IdempotentParameterMismatch. A request that failed made nothing, so its token may be tried again.
 */
@Injectable()
export class Ec2ClientTokens {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  async once<T>({ params, principal }: Ec2Call, action: string, run: () => Promise<T>): Promise<T> {
    const token = params.get('ClientToken');
    if (token === undefined || token === '') return run();
    if (token.length > 64) throw invalidValue('ClientToken', token, 'must be at most 64 characters');
    const scope = `${principal.userId}:${principal.projectId}:ec2:${action}`;
    const hash = createHash('sha256').update(params.canonical(NOT_COMPARED)).digest('hex');
    const claim = await this.store.claim(scope, token, hash);
    switch (claim.outcome) {
      case 'mismatch':
        throw ec2Invalid('IdempotentParameterMismatch', `The ClientToken ${token} was used before with different parameters`);
      case 'in_progress':
        throw new Ec2Error(503, 'Unavailable', `A ${action} with the ClientToken ${token} is still in progress`);
      case 'replay':
        return claim.response.body as T;
      case 'claimed':
        break;
    }
    try {
      const result = await run();
      await this.store.complete(scope, token, { status: 200, body: result });
      return result;
    } catch (error) {
      await this.store.abandon(scope, token);
      throw error;
    }
  }
}
