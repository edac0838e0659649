import { Inject, Injectable } from '@nestjs/common';
import { Authenticator } from '../../application/identity/authenticator';
import { CLOCK, Clock } from '../../application/ports/clock.port';
import { Principal } from '../../application/shared/command-context';
import { Ec2Error } from './ec2-error';
import { SignedRequest, checkSigV4Time, readSigV4, verifySigV4 } from './sigv4';

/** A SigV4-signed request's principal: the access key's user, project and current role, as a bearer token's would be. */
@Injectable()
export class Ec2Authenticator {
  constructor(
    private readonly authenticator: Authenticator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async principalOf(request: SignedRequest): Promise<Principal> {
    const claim = readSigV4(request);
    checkSigV4Time(claim, this.clock.now().getTime());
    const grant = await this.authenticator.accessKeyGrant(claim.accessKeyId);
    if (!grant) throw new Ec2Error(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
    verifySigV4(request, claim, grant.secret);
    // Counted only once the signature holds, so no one can spend another user's limit.
    return this.authenticator.admit(grant.principal);
  }
}
