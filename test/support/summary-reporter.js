/**
 * Prints one closing line that CI and people can read at a glance:
 *   tests: N passed, N failed, N skipped
 * and a loud line for every suite that skipped because a service was missing.
 */
class SummaryReporter {
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
  }
}
module.exports = SummaryReporter;
