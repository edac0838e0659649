/**
 * Prints one closing line that CI and people can read at a glance:
 *   tests: N passed, N failed, N skipped
 * and a loud line for every suite that skipped because a service was missing.
 */
class SummaryReporter {
  constructor() {
    this.error = undefined;
  }

  onRunComplete(_contexts, results) {
    const skippedServices = global.__ORCH_SKIPPED_SERVICES__ || [];
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
    process.stdout.write(`\n${line}\n`);
    if (results.numPendingTests > 0) {
      process.stdout.write(
        `!!! ${results.numPendingTests} TESTS SKIPPED: filtered out by -t, or a service could not be provisioned (see "SKIPPED" lines) !!!\n`,
      );
    }
    void skippedServices;
    // In CI nothing may be skipped: a skipped test fails the run, whatever skipped it.
    if (process.env.CI === 'true' && results.numPendingTests + results.numTodoTests > 0) {
      this.error = new Error(`CI=true: ${results.numPendingTests + results.numTodoTests} tests were skipped, and CI allows none`);
      process.stdout.write(`!!! ${this.error.message} !!!\n`);
    }
  }

  /** Jest fails the run when a reporter reports an error here. */
  getLastError() {
    return this.error;
  }
}
module.exports = SummaryReporter;
