import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppLogger, LOGGER } from '../../application/ports/logger.port';
import { EC2_SETTINGS, Ec2Settings } from './ec2-settings';

const SIGNED_PATH = Symbol('ec2SignedPath');
type Marked = IncomingMessage & { [SIGNED_PATH]?: string };

/** The path the client signed: on the dedicated port, the one before it was mapped under /ec2. */
export const signedPathOf = (req: IncomingMessage, seen: string): string => (req as Marked)[SIGNED_PATH] ?? seen;

/**
 * ORCH_EC2_PORT: a port that answers only the EC2 Query API, at `/` as EC2 endpoints do (libcloud's
 * driver posts to `/`). Requests are handed to the same express application under /ec2; the path the
 * client signed is kept for the signature check.
 */
@Injectable()
export class Ec2PortServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(EC2_SETTINGS) private readonly settings: Ec2Settings,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.port === null) return;
    const express = this.adapterHost.httpAdapter.getInstance<(req: IncomingMessage, res: unknown) => void>();
    this.server = createServer((req, res) => {
      const url = req.url ?? '/';
      const query = url.indexOf('?');
      (req as Marked)[SIGNED_PATH] = query === -1 ? url : url.slice(0, query);
      // Everything on this port is EC2: whatever path was asked, it reaches the EC2 controller.
      req.url = `/ec2${query === -1 ? '' : url.slice(query)}`;
      express(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.settings.port!, this.settings.host, () => resolve());
    });
    this.log.info('ec2 port listening', { url: `http://${this.settings.host}:${this.port()}` });
  }

  /** The port listened on (the configured one, or the one chosen for 0). */
  port(): number | null {
    return this.server ? (this.server.address() as AddressInfo).port : null;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
