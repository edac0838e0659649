import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { IssueToken, IssuedToken } from '../../application/identity/commands/issue-token.command';
import { TOKEN_TTL_SECONDS } from '../http/identity/auth.controller';
import { IssueTokenDto } from '../http/identity/identity.dto';
import { Access } from '../http/shared/decorators';
import { GrpcController } from './grpc-controller';
import { GrpcRequestId } from './grpc-call';
import { validated } from './grpc-validation';

@GrpcController()
export class IdentityGrpcController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(TOKEN_TTL_SECONDS) private readonly ttlSeconds: number,
  ) {}

  @GrpcMethod('Identity', 'IssueToken')
  @Access('public')
  async issueToken(@Payload() request: object, @GrpcRequestId() r: string): Promise<IssuedToken> {
    const b = await validated(IssueTokenDto, request);
    return this.commands.execute(new IssueToken(b.username, b.password, b.project, this.ttlSeconds, r));
  }
}
