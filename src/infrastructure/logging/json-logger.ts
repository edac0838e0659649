import { LoggerService } from '@nestjs/common';
import { AppLogger } from '../../application/ports/logger.port';
import { LogLevel } from '../config/config';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON object a line on stdout: `{"level","time","msg",...fields}`. Also Nest's logger. */
export class JsonLogger implements LoggerService, AppLogger {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly out: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

  write(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (RANK[level] < RANK[this.level]) return;
    this.out(JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields }));
  }

  info(msg: string, fields?: Record<string, unknown>) {
    this.write('info', msg, fields);
  }
  warnWith(msg: string, fields?: Record<string, unknown>) {
    this.write('warn', msg, fields);
  }
  errorWith(msg: string, fields?: Record<string, unknown>) {
    this.write('error', msg, fields);
  }

  // LoggerService (Nest's own messages)
  log(message: unknown, context?: string) {
    this.write('info', String(message), context ? { context } : {});
  }
  error(message: unknown, traceOrFields?: unknown, context?: string) {
    if (traceOrFields && typeof traceOrFields === 'object') return this.write('error', String(message), traceOrFields as Record<string, unknown>);
    this.write('error', String(message), { ...(traceOrFields ? { trace: String(traceOrFields) } : {}), ...(context ? { context } : {}) });
  }
  warn(message: unknown, context?: string) {
    this.write('warn', String(message), context ? { context } : {});
  }
  debug(message: unknown, context?: string) {
    this.write('debug', String(message), context ? { context } : {});
  }
  verbose(message: unknown, context?: string) {
    this.write('debug', String(message), context ? { context } : {});
  }
}
