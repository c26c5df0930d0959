// Spec output for people, plus machine-readable totals for .ci/run: when DRIFT_TEST_TOTALS names a
// file, one line "suite passes failures pending" is appended to it at the end of the run.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.DRIFT_TEST_TOTALS;
      if (!file) return;
      const s = this.stats;
      const suite = process.env.DRIFT_TEST_SUITE || 'mocha';
      fs.appendFileSync(file, `${suite} ${s.passes} ${s.failures} ${s.pending}\n`);
    });
  }
}
module.exports = CountingReporter;
