import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { LOGGER, AppLogger } from '../../application/ports/logger.port';
import { canWrite } from '../../domain/shared/roles';
import { Access } from '../http/shared/decorators';
import { HttpRequest } from '../http/shared/http-request';
import { Ec2Action } from './ec2-action';
import { Ec2ActionRegistry } from './ec2-action-registry';
import { Ec2Authenticator } from './ec2-authenticator';
import { Ec2Error, ec2ErrorOf, missingParameter } from './ec2-error';
import { Ec2Params } from './ec2-params';
import { signedPathOf } from './ec2-port.server';
import { EC2_SETTINGS, Ec2Settings } from './ec2-settings';
import { ec2ErrorDocument, ec2Response } from './ec2-xml';
import { SignedRequest } from './sigv4';

/** The query's pairs, decoded, in the order sent. */
const queryPairs = (url: string) => [...new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '')];

/**
 * The EC2 Query API (2016-11-15) at /ec2: parameters from a form body (POST) or the query string
 * (GET), SigV4 authentication, XML answers. Authentication is its own (the route is public to the
 * bearer-token guard).
 */
@ApiExcludeController()
@Access('public')
@Controller('ec2')
export class Ec2Controller {
  constructor(
    private readonly authenticator: Ec2Authenticator,
    private readonly registry: Ec2ActionRegistry,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(EC2_SETTINGS) private readonly settings: Ec2Settings,
  ) {}

  @All()
  async handle(@Req() req: HttpRequest, @Res() res: Response): Promise<void> {
    const requestId = req.requestId;
    res.type('text/xml');
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const query = queryPairs(req.originalUrl);
      const signed: SignedRequest = { method: req.method, path: signedPathOf(req, req.originalUrl.split('?')[0]), query, headers: req.headers, body };
      const form = /application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '') ? [...new URLSearchParams(body.toString('utf8'))] : [];
      const params = Ec2Params.of([...query.filter(([name]) => !name.startsWith('X-Amz-')), ...form]);
      const principal = await this.authenticator.principalOf(signed);
      const name = params.get('Action');
      if (!name) throw missingParameter('Action');
      const action: Ec2Action | undefined = this.registry.action(name);
      if (!action) throw new Ec2Error(400, 'InvalidAction', `The action ${name} is not valid for this web service`);
      if (action.mutating && !canWrite(principal.role))
        throw new Ec2Error(403, 'UnauthorizedOperation', 'You are not authorized to perform this operation (reader role)');
      if (params.bool('DryRun')) throw new Ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
      const endpoint = `${this.settings.publicUrl ?? `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`}${signedPathOf(req, '/ec2')}`;
      const members = await action.run({ params, principal, requestId, endpoint });
      res.status(200).send(ec2Response(name, requestId, members));
    } catch (error) {
      const reply = ec2ErrorOf(error, requestId);
      if (reply.status >= 500 && reply.code !== 'RequestLimitExceeded')
        this.log.errorWith('ec2 request failed', { requestId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      res
        .status(reply.status)
        .set(reply.headers ?? {})
        .send(ec2ErrorDocument(reply.code, reply.message, requestId));
    }
  }
}
