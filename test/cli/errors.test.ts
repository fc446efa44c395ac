// The command line's exit codes come from an error's class and code, never from its message
// (src/cli/errors.ts, src/errors.ts); context added on the way up keeps the class and the code.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { CommanderError } from 'commander';
import { EXIT, exitCodeOf, reportError, UsageError } from '../../src/cli/errors.js';
import { RunInUseError } from '../../src/cli/run-lock.js';
import { DataFileError } from '../../src/data/files.js';
import { DisposedError, FileWriteError, withContext } from '../../src/errors.js';
import { ModelFileError } from '../../src/io/validate.js';
import { NonFiniteLossError } from '../../src/train/errors.js';
import { lines, nabla, tmp } from './helpers.js';

/** A stream that keeps what is written to it. */
function sink(): Writable & { text: string } {
  const s = new Writable({ write(chunk, _enc, done) { s.text += String(chunk); done(); } }) as Writable & { text: string };
  s.text = '';
  return s;
}

// Every error carries the SAME message, one the old command line matched on: only the class
// (and code) can tell them apart.
const SAME = "option '--out': it already exists and holds a different model";
const as = <E extends Error>(e: E): E => { e.message = SAME; return e; };
const CASES: [string, Error, number][] = [
  ['UsageError', as(new UsageError('x', '--out')), EXIT.usage],
  ['DataFileError', as(new DataFileError('a.csv', 'x', 'E_CORRUPT')), EXIT.runtime],
  ['ModelFileError', as(new ModelFileError('m', 'x', undefined, 'E_INVALID')), EXIT.runtime],
  ['FileWriteError EEXIST', as(new FileWriteError('d', 'x', { code: 'EEXIST' })), EXIT.runtime],
  ['DisposedError', as(new DisposedError("Sequential 'm'", 'predict()')), EXIT.runtime],
  ['NonFiniteLossError', as(new NonFiniteLossError(NaN, 0, 0)), EXIT.runtime],
  ['RunInUseError', as(new RunInUseError('x')), EXIT.runtime],
  ['TypeError', as(new TypeError('x')), EXIT.runtime],
  ['RangeError', as(new RangeError('x')), EXIT.runtime],
  ['Error', as(new Error('x')), EXIT.runtime],
];

describe('command-line exit codes by error class', () => {
  it('maps each error class to its exit code, whatever the message says', () => {
    for (const [name, err, code] of CASES) {
      const out = sink();
      assert.equal(reportError(err, out), code, name);
      assert.equal(exitCodeOf(err), code, name);
      assert.equal(out.text, `error: ${SAME}\n`, `${name}: one line`);
    }
    assert.equal(reportError(new CommanderError(1, 'commander.unknownOption', SAME), sink()), EXIT.usage);
  });

  it('the classes carry their documented codes', () => {
    assert.equal(new UsageError('x').code, 'E_USAGE');
    assert.equal(new DisposedError('a', 'b').code, 'E_DISPOSED');
    assert.equal(new NonFiniteLossError(NaN).code, 'E_NON_FINITE_LOSS');
    assert.equal(new RunInUseError('x').code, 'E_RUN_IN_USE');
    assert.equal(new UsageError('no such file', '--data').message, "option '--data': no such file");
    assert.equal(new UsageError('no such file', '--data').problem, 'no such file');
  });

  it('withContext prefixes the message and keeps the class and the code', () => {
    const e = withContext(new DataFileError('a.csv', 'truncated', 'E_CORRUPT'), 'model.json: layer 0');
    assert.ok(e instanceof DataFileError);
    assert.equal((e as DataFileError).code, 'E_CORRUPT');
    assert.equal(e.message, 'model.json: layer 0: a.csv: truncated');
    const t = withContext(new TypeError('Dense: unknown option'), 'spec.json');
    assert.equal(t.constructor, TypeError);
    assert.equal(withContext('thrown string', 'ctx').message, 'ctx: thrown string');
  });

  it('the code survives to the command line (NABLA_DEBUG prints class and code)', async () => {
    const dir = tmp();
    const r = await nabla(['predict', dir, join(dir, 'missing.png')], { NABLA_DEBUG: '1' });
    assert.equal(r.code, EXIT.runtime);
    assert.ok(lines(r.stderr).includes('(DataFileError, code E_NOT_FOUND)'), r.stderr);
    // A refused layer config keeps its TypeError through the context the CLI adds.
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify([{ className: 'Dense', units: 3, unitz: 1 }]));
    const t = await nabla(['train', '--data', 'iris', '--model', spec, '--epochs', '1', '--out', join(dir, 'run')], { NABLA_DEBUG: '1' });
    assert.equal(t.code, EXIT.runtime);
    assert.ok(lines(t.stderr).includes('(TypeError)'), t.stderr);
  });
});
