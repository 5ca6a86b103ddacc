/**
 * Ends every run with one plain line, `tests: N passed, N failed, N skipped`,
 * that tools reading only the last line of a run can count. It is written on
 * exit, so that it follows jest's own summary.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}

module.exports = SummaryReporter;
