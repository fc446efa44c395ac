// `nabla data list | fetch | path`: exit codes, one line per file off a terminal, and the
// loaders reading what `fetch` cached. Downloads go to a server on 127.0.0.1 that this file
// starts; the child registers the fake data set through the registry's internal test hook
// (a --import preload), so the built-in table is untouched.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { loadFashionMnist } from '../../src/data/index.js';
import { FAKE_FILES, FAKE_NAME, fakeEntry, startFileServer, type FileServer } from '../data/http-fixtures.js';
import { SHARED } from '../data/helpers.js';
import { finished, lines, nabla, NABLA_ARGV, ROOT, tmp, type CliResult } from './helpers.js';

/** A fresh cache folder, removed when the file ends (a fetched Fashion-MNIST is 31 MB). */
function cacheHome(): string {
  const dir = tmp('nabla-data-cli-');
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const PRELOAD = join(ROOT, 'test', 'cli', 'fixtures', 'register-dataset.mjs');
const BUILT = !NABLA_ARGV.includes('tsx');
const REGISTRY = join(ROOT, BUILT ? 'dist' : 'src', 'data', BUILT ? 'dataset-registry.js' : 'dataset-registry.ts');

/** `nabla ...args` with the fake data set registered and the cache in `home`. */
function nablaWithFake(server: FileServer, home: string, args: string[]): Promise<CliResult> {
  const argv = [...NABLA_ARGV.slice(0, -1), '--import', pathToFileURL(PRELOAD).href, NABLA_ARGV[NABLA_ARGV.length - 1]!, ...args];
  return finished(spawn(process.execPath, argv, {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, CI: '1', NABLA_DEBUG: '', NABLA_HOME: home, HTTP_PROXY: '', http_proxy: '',
      NABLA_TEST_REGISTRY_MODULE: pathToFileURL(REGISTRY).href, NABLA_TEST_DATASET: JSON.stringify(fakeEntry(server.base)),
    },
  }));
}

let server: FileServer;
before(async () => { server = await startFileServer(); });
after(() => server.close());

describe('nabla data', { concurrency: 4 }, () => {
  it('list names every data set; an unknown name is a usage error (exit 2, one line)', async () => {
    const home = cacheHome();
    const list = await nabla(['data', 'list'], { NABLA_HOME: home });
    assert.equal(list.code, 0, list.stderr);
    for (const name of ['fashion-mnist', 'digits-8x8', 'linnerud']) assert.match(list.stdout, new RegExp(`^${name} .*not fetched`, 'm'));
    const bad = await nabla(['data', 'fetch', 'imagenet'], { NABLA_HOME: home });
    assert.equal(bad.code, 2);
    assert.deepEqual(lines(bad.stderr), ["error: unknown data set 'imagenet'; known: fashion-mnist, digits-8x8, linnerud (see nabla data list)"]);
  });

  it('an empty cache: path and train --data fashion-mnist exit 1 saying how to fetch it', async () => {
    const home = cacheHome();
    for (const args of [['data', 'path', 'fashion-mnist'], ['train', '--data', 'fashion-mnist', '--epochs', '1']]) {
      const r = await nabla(args, { NABLA_HOME: home });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(lines(r.stderr).length, 1, r.stderr);
      assert.match(r.stderr, /nabla data fetch fashion-mnist/);
    }
  });

  it('fetch from a mirror URL: one line per verified file, then path prints the folder', async () => {
    const home = cacheHome();
    const r = await nablaWithFake(server, home, ['data', 'fetch', FAKE_NAME, '--from', `${server.base}/m`]);
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    assert.equal(out.length, 3, r.stdout);
    assert.match(out[0]!, new RegExp(`a\\.bin .* verified \\(from ${server.base}/m/${FAKE_NAME}/a\\.bin\\)`));
    assert.match(out[1]!, /b\.txt .* verified/);
    assert.equal(out[2], `${FAKE_NAME}: ${Object.keys(FAKE_FILES).length} file(s) verified in ${join(home, 'datasets', FAKE_NAME)}`);
    const path = await nablaWithFake(server, home, ['data', 'path', FAKE_NAME]);
    assert.equal(path.code, 0, path.stderr);
    assert.equal(path.stdout, `${join(home, 'datasets', FAKE_NAME)}\n`);
  });

  it('a failed download exits 1 with one line naming the URL and the HTTP status', async () => {
    const r = await nablaWithFake(server, cacheHome(), ['data', 'fetch', FAKE_NAME, '--from', `${server.base}/missing`]);
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), [`error: ${server.base}/missing/${FAKE_NAME}/a.bin: HTTP 404 Not Found`]);
  });

  const fashion = join(SHARED, 'fashion-mnist');
  it('fetch fashion-mnist --from ../shared/data, then loadFashionMnist() reads the cache',
    { skip: existsSync(fashion) ? false : 'needs ../shared/data (not beside this clone)' }, async () => {
      const home = cacheHome();
      const r = await nabla(['data', 'fetch', 'fashion-mnist', '--from', SHARED], { NABLA_HOME: home });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(lines(r.stdout).filter((l) => / verified \(from /.test(l)).length, 4, r.stdout);
      const saved = process.env['NABLA_HOME'];
      process.env['NABLA_HOME'] = home;
      try {
        const d = loadFashionMnist();
        assert.deepEqual(d.train.images.shape, [60000, 28, 28, 1]);
        assert.deepEqual(d.test.labels.shape, [10000]);
        assert.equal(d.classNames[0], 'T-shirt/top');
      } finally {
        if (saved === undefined) delete process.env['NABLA_HOME']; else process.env['NABLA_HOME'] = saved;
      }
    });
});
