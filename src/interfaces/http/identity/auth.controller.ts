import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { TOKEN_TTL_SECONDS } from '../../../application/identity/identity.settings';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IssueToken, IssuedToken } from '../../../application/identity/commands/issue-token.command';
import { RevokeToken } from '../../../application/identity/commands/revoke-token.command';
import { Principal } from '../../../application/shared/command-context';
import { notFound } from '../../../domain/shared/domain-error';
import { Access, CurrentPrincipal, RequestId } from '../shared/decorators';
import { IssueTokenDto } from './identity.dto';

@ApiTags('identity')
@Controller('v1/auth/tokens')
export class AuthController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(TOKEN_TTL_SECONDS) private readonly ttlSeconds: number,
  ) {}

  @Post()
  @Access('public')
  @ApiOperation({ summary: 'Issue a bearer token (401 for any wrong credential)' })
  issue(@Body() body: IssueTokenDto, @RequestId() requestId: string): Promise<IssuedToken> {
    return this.commands.execute(new IssueToken(body.username, body.password, body.project, this.ttlSeconds, requestId));
  }

  @Get('current')
  @Access('authenticated')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the presented token belongs to' })
  current(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Delete()
  @HttpCode(204)
  @Access('authenticated')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke the presented token' })
  async revokeCurrent(@CurrentPrincipal() principal: Principal, @RequestId() requestId: string): Promise<void> {
    await this.commands.execute(new RevokeToken(principal.tokenId as string, principal, requestId));
  }

  @Delete(':tokenId')
  @HttpCode(204)
  @Access('authenticated')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Revoke a token: one's own, or any (admin)" })
  async revoke(@Param('tokenId') tokenId: string, @CurrentPrincipal() principal: Principal, @RequestId() requestId: string): Promise<void> {
    if (!/^tok-[0-9a-f]{20}$/.test(tokenId)) throw notFound('TokenNotFound', 'Token not found');
    await this.commands.execute(new RevokeToken(tokenId, principal, requestId));
  }
}
