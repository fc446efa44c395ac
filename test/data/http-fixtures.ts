// Local HTTP fixtures for the fetch tests: a file server on 127.0.0.1 (port 0) whose first path
// segment picks a behaviour, a CONNECT proxy that records what it tunnels, and a small fake
// data set whose SHA-256 digests are computed here with node:crypto.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { RegistryDataset } from '../../src/data/dataset-registry.js';

/** The fake data set's files: deterministic bytes (no randomness). */
export const FAKE_FILES: Record<string, Buffer> = {
  'a.bin': Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37 + 11) % 256)),
  'b.txt': Buffer.from('Chins Situps Jumps\n5 162 60\n2 110 60\n'),
};
export const FAKE_NAME = 'fake-set';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A registry entry for the fake files whose canonical URL is `<base>/canon/`. */
export function fakeEntry(base: string): RegistryDataset {
  return {
    name: FAKE_NAME, title: 'test files', license: 'none', loader: 'none', urls: [`${base}/canon/`],
    files: Object.entries(FAKE_FILES).map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: sha256(bytes) })),
  };
}

/** A running file server: its base URL and the paths it was asked for. */
export interface FileServer { base: string; hits: string[]; close: () => void }

function serve(req: IncomingMessage, res: ServerResponse, hits: string[]): void {
  const url = req.url ?? '/';
  hits.push(url);
  const [mode = '', ...rest] = url.split('/').slice(1);
  const file = FAKE_FILES[decodeURIComponent(rest[rest.length - 1] ?? '')];
  if (mode === 'redirect') { res.writeHead(302, { location: `/m/${rest.join('/')}` }).end(); return; }
  if (mode === 'loop') { res.writeHead(301, { location: url }).end(); return; }
  if (mode === 'ftp') { res.writeHead(302, { location: 'ftp://127.0.0.1/x' }).end(); return; }
  if (!file || mode === 'missing') { res.writeHead(404, { 'content-type': 'text/plain' }).end('not here'); return; }
  if (mode === 'wrong') {
    const bad = Buffer.from(file); bad[0] = bad[0]! ^ 0xff;
    res.writeHead(200, { 'content-length': bad.length }).end(bad);
  } else if (mode === 'truncated') {
    res.writeHead(200, { 'content-length': file.length });
    res.write(file.subarray(0, file.length >> 1), () => res.socket?.destroy());
  } else if (mode === 'stall') {
    res.writeHead(200, { 'content-length': file.length });
    res.write(file.subarray(0, 10)); // then nothing: the client must give up
  } else if (mode === 'canon' || mode === 'm') {
    res.writeHead(200, { 'content-length': file.length }).end(file);
  } else res.writeHead(404).end();
}

/** Starts the file server; call `close()` when done. */
export async function startFileServer(): Promise<FileServer> {
  const hits: string[] = [];
  const server = createServer((req, res) => serve(req, res, hits));
  return { base: `http://127.0.0.1:${await listen(server)}`, hits, close: closer(server) };
}

/** A running CONNECT proxy: its URL and the `host:port` targets it tunnelled. */
export interface Proxy { url: string; tunnels: string[]; close: () => void }

/** Starts a minimal HTTP CONNECT proxy; call `close()` when done. */
export async function startProxy(): Promise<Proxy> {
  const tunnels: string[] = [], sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    sockets.add(client);
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).on('error', () => client.destroy());
      client.pipe(upstream).on('error', () => upstream.destroy());
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const close = closer(server);
  return { url: `http://127.0.0.1:${await listen(server)}`, tunnels, close: () => { for (const s of sockets) s.destroy(); close(); } };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: Server): () => void {
  return () => { server.closeAllConnections(); server.close(); };
}
