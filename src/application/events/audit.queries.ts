import { Inject, Injectable } from '@nestjs/common';
import { assertAdmin } from '../identity/public';
import { IntegrityReport, LOG_INTEGRITY, LogIntegrity } from '../ports/log-integrity.port';
import { Principal } from '../shared/command-context';

/** The auditor's view of the log itself (admin only). */
@Injectable()
export class AuditQueries {
  constructor(@Inject(LOG_INTEGRITY) private readonly integrity: LogIntegrity) {}

  verify(p: Principal): Promise<IntegrityReport> {
    assertAdmin(p);
    return this.integrity.verify();
  }
}
