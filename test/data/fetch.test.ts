// fetchDataset: download, verify, cache. Every download goes to a server on 127.0.0.1 that this
// file starts, serving small files whose SHA-256 the fixtures compute; the fake data set is
// registered through the internal test hook of the registry.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fetchDataset, loadDigits, loadFashionMnist, loadLinnerud, DataFileError, type FetchProgress } from '../../src/data/index.js';
import { internalRegisterDatasetForTests } from '../../src/data/dataset-registry.js';
import { FAKE_FILES, FAKE_NAME, fakeEntry, startFileServer, startProxy, type FileServer } from './http-fixtures.js';
import { SHARED } from './helpers.js';

const ENV_KEYS = ['NABLA_HOME', 'XDG_CACHE_HOME', 'TMPDIR', 'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
after(() => { for (const k of ENV_KEYS) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k]; });

// Temporary folders under one root made before TMPDIR is pointed elsewhere.
const ROOT = mkdtempSync(join(tmpdir(), 'nabla-fetch-'));
after(() => rmSync(ROOT, { recursive: true, force: true }));
let made = 0;
const tempDir = (): string => { const d = join(ROOT, String(++made)); mkdirSync(d); return d; };

let server: FileServer;
let home: string;
let unregister = (): void => undefined;
before(async () => {
  server = await startFileServer();
  unregister = internalRegisterDatasetForTests(fakeEntry(server.base));
});
after(() => { unregister(); server.close(); });
beforeEach(() => {
  for (const k of ENV_KEYS) delete process.env[k];
  home = tempDir();
  process.env['NABLA_HOME'] = home;
  process.env['TMPDIR'] = tempDir(); // the fallback cache goes under the OS temp folder
});

/** Asserts that `promise` rejects with a DataFileError of `code` whose message matches. */
async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DataFileError, `a DataFileError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  });
}

/** Asserts the cache holds neither the file nor a leftover temporary folder. */
function assertNothingCached(): void {
  const dir = join(home, 'datasets', FAKE_NAME);
  const left = existsSync(dir) ? readdirSync(dir) : [];
  assert.deepEqual(left, [], `nothing half-written in the cache, found ${left.join(', ')}`);
}

describe('fetchDataset', () => {
  test('downloads from the canonical URL, verifies, caches; a second call only re-verifies', async () => {
    const events: FetchProgress[] = [];
    const dir = await fetchDataset(FAKE_NAME, { onProgress: (e) => events.push(e) });
    assert.equal(dir, join(home, 'datasets', FAKE_NAME));
    for (const [name, bytes] of Object.entries(FAKE_FILES)) assert.deepEqual(readFileSync(join(dir, name)), bytes);
    assert.match(readFileSync(join(dir, 'SHA256SUMS'), 'utf8'), /^[0-9a-f]{64} {2}a\.bin\n[0-9a-f]{64} {2}b\.txt\n$/);
    assert.deepEqual(events.filter((e) => e.phase === 'done').map((e) => [e.file, e.receivedBytes]),
      [['a.bin', FAKE_FILES['a.bin']!.length], ['b.txt', FAKE_FILES['b.txt']!.length]]);
    assert.ok(events.some((e) => e.phase === 'data' && e.totalBytes === FAKE_FILES['a.bin']!.length));

    const hits = server.hits.length, again: FetchProgress[] = [];
    assert.equal(await fetchDataset(FAKE_NAME, { onProgress: (e) => again.push(e) }), dir);
    assert.equal(server.hits.length, hits, 'no request when the cache is valid');
    assert.deepEqual(again.map((e) => e.phase), ['cached', 'cached']);
  });

  test('a cached copy damaged afterwards is refused and fetched again', async () => {
    const dir = await fetchDataset(FAKE_NAME);
    const bad = Buffer.from(FAKE_FILES['a.bin']!); bad[100] = bad[100]! ^ 1;
    writeFileSync(join(dir, 'a.bin'), bad);
    const hits = server.hits.length;
    await fetchDataset(FAKE_NAME);
    assert.deepEqual(readFileSync(join(dir, 'a.bin')), FAKE_FILES['a.bin']);
    assert.deepEqual(server.hits.slice(hits), ['/canon/a.bin']);
    // and when no source can replace it, the damaged copy is gone rather than kept
    writeFileSync(join(dir, 'a.bin'), bad);
    await rejectsWith(fetchDataset(FAKE_NAME, { mirrors: [`${server.base}/missing`] }), 'E_NETWORK', /404/);
    assert.equal(existsSync(join(dir, 'a.bin')), false);
  });

  test('HTTP 404: E_NETWORK naming the URL and status; nothing cached', async () => {
    await rejectsWith(fetchDataset(FAKE_NAME, { mirrors: [`${server.base}/missing`] }), 'E_NETWORK',
      new RegExp(`${server.base}/missing/${FAKE_NAME}/a\\.bin: HTTP 404 Not Found`));
    assertNothingCached();
  });

  test('wrong bytes: E_CHECKSUM; nothing cached', async () => {
    await rejectsWith(fetchDataset(FAKE_NAME, { mirrors: [`${server.base}/wrong`] }), 'E_CHECKSUM', /wrong\/fake-set\/a\.bin: checksum mismatch/);
    assertNothingCached();
  });

  test('a body shorter than its Content-Length: E_CORRUPT; nothing cached', async () => {
    await rejectsWith(fetchDataset(FAKE_NAME, { mirrors: [`${server.base}/truncated`] }), 'E_CORRUPT', /truncated/);
    assertNothingCached();
  });

  test('a server that stalls: E_TIMEOUT after timeoutMs without bytes; nothing cached', async () => {
    await rejectsWith(fetchDataset(FAKE_NAME, { mirrors: [`${server.base}/stall`], timeoutMs: 300 }), 'E_TIMEOUT', /no data for 300 ms/);
    assertNothingCached();
  });

  test('larger than LIMITS.maxFileBytes.download: E_TOO_LARGE before the body is read', async () => {
    await rejectsWith(fetchDataset(FAKE_NAME, { limits: { maxFileBytes: { download: 100 } } }), 'E_TOO_LARGE', /LIMITS\.maxFileBytes\.download \(100 bytes\)/);
    assertNothingCached();
  });

  test('redirects are followed, a bounded number of times, to http(s) only', async () => {
    await fetchDataset(FAKE_NAME, { mirrors: [`${server.base}/redirect`] });
    assert.ok(server.hits.includes(`/m/${FAKE_NAME}/a.bin`));
    process.env['NABLA_HOME'] = tempDir();
    await rejectsWith(fetchDataset(FAKE_NAME, { mirrors: [`${server.base}/loop`] }), 'E_NETWORK', /more than 5 redirects/);
    await rejectsWith(fetchDataset(FAKE_NAME, { mirrors: [`${server.base}/ftp`] }), 'E_UNSUPPORTED', /only http and https/);
    await rejectsWith(fetchDataset(FAKE_NAME, { mirrors: ['ftp://127.0.0.1/data'] }), 'E_UNSUPPORTED', /only http and https/);
  });

  test('the next mirror is tried when one fails', async () => {
    const dir = await fetchDataset(FAKE_NAME, { mirrors: [`${server.base}/missing`, `${server.base}/m`] });
    assert.deepEqual(readFileSync(join(dir, 'b.txt')), FAKE_FILES['b.txt']);
  });

  test('--from DIR: a local mirror (<dir>/<name>/<file> or the files directly), no request', async () => {
    const mirror = tempDir();
    mkdirSync(join(mirror, FAKE_NAME));
    for (const [name, bytes] of Object.entries(FAKE_FILES)) writeFileSync(join(mirror, FAKE_NAME, name), bytes);
    const hits = server.hits.length;
    const dir = await fetchDataset(FAKE_NAME, { mirrors: [mirror] });
    assert.deepEqual(readFileSync(join(dir, 'a.bin')), FAKE_FILES['a.bin']);
    process.env['NABLA_HOME'] = tempDir();
    assert.deepEqual(readFileSync(join(await fetchDataset(FAKE_NAME, { mirrors: [join(mirror, FAKE_NAME)] }), 'b.txt')), FAKE_FILES['b.txt']);
    assert.equal(server.hits.length, hits);
    process.env['NABLA_HOME'] = tempDir();
    await rejectsWith(fetchDataset(FAKE_NAME, { mirrors: [tempDir()] }), 'E_NOT_FOUND', /a\.bin: file not found/);
  });

  test('an unwritable cache folder falls back to the OS temp folder', async () => {
    const file = join(tempDir(), 'a-regular-file');
    writeFileSync(file, 'x');
    process.env['NABLA_HOME'] = join(file, 'nabla'); // mkdir under a file: ENOTDIR, even for root
    const dir = await fetchDataset(FAKE_NAME);
    assert.ok(dir.startsWith(process.env['TMPDIR']!), `${dir} is under the temp folder`);
    assert.deepEqual(readFileSync(join(dir, 'a.bin')), FAKE_FILES['a.bin']);
  });

  test('HTTP_PROXY routes the download through the proxy; NO_PROXY bypasses it', async () => {
    const proxy = await startProxy();
    after(proxy.close);
    process.env['HTTP_PROXY'] = proxy.url;
    await fetchDataset(FAKE_NAME);
    assert.ok(proxy.tunnels.length >= 1, 'tunnelled through the proxy');
    assert.ok(proxy.tunnels.every((t) => t === new URL(server.base).host), proxy.tunnels.join(', '));
    const tunnels = proxy.tunnels.length;
    process.env['NABLA_HOME'] = tempDir();
    process.env['NO_PROXY'] = '127.0.0.1';
    await fetchDataset(FAKE_NAME);
    assert.equal(proxy.tunnels.length, tunnels, 'no tunnel for a NO_PROXY host');
  });

  test('a .gz whose header differs from the registered copy is accepted by its decompressed digest', async () => {
    const content = Buffer.from('1,2,3\n4,5,6\n'.repeat(50));
    const registered = gzipSync(content, { level: 9 }), upstream = gzipSync(content, { level: 1 });
    assert.notDeepEqual(registered, upstream, 'two different gzip files of the same content');
    const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    const remove = internalRegisterDatasetForTests({
      name: 'fake-gz', title: 't', license: 'none', loader: 'none', urls: [`${server.base}/canon/`],
      files: [{ name: 'x.csv.gz', bytes: registered.length, sha256: digest(registered), gunzippedSha256: digest(content) }],
    });
    try {
      const mirror = tempDir();
      writeFileSync(join(mirror, 'x.csv.gz'), upstream);
      assert.deepEqual(readFileSync(join(await fetchDataset('fake-gz', { mirrors: [mirror] }), 'x.csv.gz')), upstream);
      process.env['NABLA_HOME'] = tempDir();
      writeFileSync(join(mirror, 'x.csv.gz'), gzipSync(Buffer.concat([content, Buffer.from('7,8,9\n')])));
      await rejectsWith(fetchDataset('fake-gz', { mirrors: [mirror] }), 'E_CHECKSUM', /checksum mismatch/);
    } finally {
      remove();
    }
  });

  test('unknown name: RangeError listing the known data sets; bad timeout: RangeError', async () => {
    await assert.rejects(fetchDataset('imagenet'), (e: unknown) => e instanceof RangeError && /unknown data set 'imagenet'; known: fashion-mnist, digits-8x8, linnerud/.test(e.message));
    await assert.rejects(fetchDataset(FAKE_NAME, { timeoutMs: 0 }), RangeError);
  });
});

describe('loaders read the cache and never download', () => {
  test('an empty cache: one line saying how to fetch it', () => {
    for (const [load, name] of [[() => loadFashionMnist(), 'fashion-mnist'], [() => loadDigits(), 'digits-8x8'], [() => loadLinnerud(), 'linnerud']] as const) {
      assert.throws(load, (e: unknown) => e instanceof DataFileError && e.code === 'E_NOT_FOUND'
        && e.message.includes(`nabla data fetch ${name}`) && !e.message.includes('\n'));
    }
  });

  const shared = existsSync(join(SHARED, 'linnerud')) && existsSync(join(SHARED, 'digits-8x8'));
  test('linnerud and digits fetched from ../shared/data, read, and verified on every read', { skip: shared ? false : 'needs ../shared/data (not beside this clone)' }, async () => {
    await fetchDataset('linnerud', { mirrors: [SHARED] });
    await fetchDataset('digits-8x8', { mirrors: [SHARED] });
    assert.deepEqual(loadLinnerud().x.shape, [20, 3]);
    assert.deepEqual(loadDigits().x.shape, [1797, 64]);
    const file = join(home, 'datasets', 'linnerud', 'linnerud_exercise.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Chins', 'Chinz'));
    assert.throws(() => loadLinnerud(), /linnerud_exercise\.csv: checksum mismatch/);
  });
});
