import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../ports/clock.port';
import { SECRETS, Secrets } from '../ports/secrets.port';
import { REQUEST_THROTTLE, RequestThrottle } from '../ports/request-throttle.port';
import { rateLimited, unauthenticated } from '../shared/application-error';
import { Principal } from '../shared/command-context';
import { IDENTITY_READ_MODEL, IdentityReadModel } from './ports/identity-read-model.port';
import { IDENTITY_FRESHNESS, IdentityFreshness, lookUpFresh } from './ports/identity-freshness.port';

/**
 * Turns a bearer token (`tok-….secret`) into a principal. The role is read at each request, so a
 * revoked role or a disabled user takes effect at once, not when the token expires.
 */
@Injectable()
export class Authenticator {
  constructor(
    @Inject(IDENTITY_READ_MODEL) private readonly readModel: IdentityReadModel,
    @Inject(SECRETS) private readonly secrets: Secrets,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDENTITY_FRESHNESS) private readonly freshness: IdentityFreshness,
    @Inject(REQUEST_THROTTLE) private readonly throttle: RequestThrottle,
  ) {}

  /** A token or key unknown here may have been issued by another region a moment ago: see lookUpFresh. */
  async authenticate(bearer: string): Promise<Principal> {
    const match = /^(tok-[0-9a-f]{1,64})\.([A-Za-z0-9_-]{16,128})$/.exec(bearer);
    if (!match) throw unauthenticated();
    const [, tokenId, secret] = match;
    const grant = await lookUpFresh(this.freshness, () => this.readModel.getTokenGrant(tokenId));
    if (!grant) throw unauthenticated();
    const { token, userName, userStatus, role } = grant;
    if (token.revoked || !this.secrets.digestsEqual(this.secrets.digest(secret), token.secretHash)) throw unauthenticated();
    if (token.expiresAt <= this.clock.now().toISOString()) throw unauthenticated();
    if (userStatus !== 'active' || !role) throw unauthenticated();
    return this.admit({ userId: token.userId, userName, projectId: token.projectId, role, tokenId });
  }

  /** Counts an authenticated request against its user's rate limit (all of the user's tokens and keys together). */
  admit(principal: Principal): Principal {
    const wait = this.throttle.take('user', principal.userId);
    if (wait !== null) throw rateLimited(wait, `User ${principal.userName} is over the request rate limit`);
    return principal;
  }

  /**
   * The principal an access key acts as, with the key's secret (a SigV4 verifier needs the secret
   * itself), or null for an unknown or deleted key, a disabled user or a role since revoked.
   */
  async accessKeyGrant(accessKeyId: string): Promise<{ principal: Principal; secret: string } | null> {
    const grant = await lookUpFresh(this.freshness, () => this.readModel.getAccessKeyGrant(accessKeyId));
    if (!grant || grant.key.status !== 'active' || grant.userStatus !== 'active' || !grant.role) return null;
    const { key, userName, role } = grant;
    const principal: Principal = { userId: key.userId, userName, projectId: key.projectId, role, tokenId: null };
    return { principal, secret: this.secrets.decrypt(key.secretCiphertext) };
  }
}
