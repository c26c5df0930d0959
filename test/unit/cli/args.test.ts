// The CLI's flags, tokenized by node:util's parseArgs and checked against a command's table: every
// way a flag can be written, and every mistake worded with what to do.
import assert from 'node:assert/strict';
import { parseArgs, type FlagSpec } from '../../../src/cli/args';
import { DriftError } from '../../../src/core/types';

const SPECS: FlagSpec[] = [
  { name: 'config', value: 'FILE', help: '' },
  { name: 'fail-on', value: 'EXPR', repeatable: true, help: '' },
  { name: 'json', help: '' },
];

const usage = (argv: string[]): string => {
  try {
    parseArgs('compare', argv, SPECS);
  } catch (err) {
    assert.ok(err instanceof DriftError && err.code === 'usage');
    return err.message;
  }
  return 'no error';
};

describe('CLI flags (src/cli/args.ts)', () => {
  it('reads --name value, --name=value, booleans, repeats and positionals, and everything after --', () => {
    const r = parseArgs('compare', ['docs', '--config', 'a.json', '--fail-on=x > 1', '--json', '--fail-on', 'y < 2', '--', '--not-a-flag', '-'], SPECS);
    assert.deepEqual(r.flags.get('config'), ['a.json']);
    assert.deepEqual(r.flags.get('fail-on'), ['x > 1', 'y < 2']);
    assert.deepEqual([...r.booleans], ['json']);
    assert.deepEqual(r.positionals, ['docs', '--not-a-flag', '-']);
    assert.deepEqual(parseArgs('compare', ['--config=--odd'], SPECS).flags.get('config'), ['--odd'], 'an inline value may look like a flag');
  });

  it('words each mistake with the fix', () => {
    assert.equal(usage(['--confg', 'a.json']), 'compare: unknown option --confg (did you mean --config?); see embedding-drift compare --help');
    assert.equal(usage(['-c']), 'compare: unknown option -c; see embedding-drift compare --help');
    assert.equal(usage(['--json=yes']), 'compare: --json takes no value');
    assert.equal(usage(['--config']), 'compare: --config needs a value (FILE)');
    assert.equal(usage(['--config', '--json']), 'compare: --config needs a value (FILE)');
    assert.equal(usage(['--config', 'a', '--config', 'b']), 'compare: --config given twice');
  });
});
