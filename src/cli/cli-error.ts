/**
 * Exit codes a script can rely on (documented in the README, "The orch command"). Commander's own
 * usage errors exit with USAGE too.
 */
export const EXIT = {
  OK: 0,
  /** The work asked for ended badly: an instance failed, the audit chain is broken, a replay differs. */
  FAILED: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  /** Not logged in, token expired or refused, or not allowed. */
  AUTH: 4,
  /** The cloud refused the request (400, 409, 413, 422, 429). */
  REFUSED: 5,
  /** The cloud could not be reached, or answered 5xx. */
  UNAVAILABLE: 6,
  /** `--wait` gave up before the work finished. */
  TIMEOUT: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports as one line on stderr and ends with its exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

/** The exit code of an HTTP status the cloud answered with. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 401 || status === 403) return EXIT.AUTH;
  if (status >= 500) return EXIT.UNAVAILABLE;
  return EXIT.REFUSED;
}
