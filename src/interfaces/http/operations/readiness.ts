import { Injectable } from '@nestjs/common';

/**
 * Whether this process wants new traffic. On SIGTERM it drains: /readyz answers 503 at once, so
 * that a load balancer's health check takes it out of rotation, while the requests that still
 * arrive meanwhile are served; then the process closes (see main.ts).
 */
@Injectable()
export class Readiness {
  draining = false;

  drain(): void {
    this.draining = true;
  }
}
