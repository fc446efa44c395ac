#!/usr/bin/env node
// Serves the playground locally: builds playground/dist (scripts/build-playground.ts), then a
// tiny static server (node:http) sends it with the cross-origin isolation headers
//   Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp
// so the page may use shared WebAssembly memory (nabla's wasm backend). Prints the URL.
//
//   npm run playground                                 http://127.0.0.1:8080/ (or the next free port)
//   npm run playground -- --port 9000 --host 0.0.0.0    another port; reachable from other devices (a phone)
//   npm run playground -- --no-isolation               without the headers (the page uses the js kernels)
//   npm run playground -- --no-build                   serve playground/dist as it is
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildPlayground, defaultOutDir } from './build-playground.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.wasm': 'application/wasm', '.safetensors': 'application/octet-stream', '.ico': 'image/x-icon',
};

export interface ServeOptions {
  /** Folder to serve (default playground/dist). */
  dir?: string;
  /** Port (default 8080; 0: any free port). When taken, the next ones are tried. */
  port?: number;
  host?: string;
  /** Send COOP/COEP so the page is cross-origin isolated (default true). */
  isolation?: boolean;
}

/** Starts the static server; resolves with its URL and a close function. */
export async function serve({ dir = defaultOutDir, port = 8080, host = '127.0.0.1', isolation = true }: ServeOptions = {}): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const root = normalize(dir + sep);
  const server = createServer(async (req, res) => {
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (isolation) Object.assign(headers, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' });
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, headers).end(); return; }
      let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(root, path));
      if (!file.startsWith(root)) { res.writeHead(403, headers).end(); return; }
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) { res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found'); return; }
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(info.size) });
      if (req.method === 'HEAD') { res.end(); return; }
      createReadStream(file).pipe(res);
    } catch {
      if (!res.headersSent) res.writeHead(400, headers);
      res.end();
    }
  });
  for (let p = port, tries = 0; ; p++, tries++) {
    const ok = await new Promise<boolean>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' && port !== 0 && tries < 20 ? resolve(false) : reject(e)));
      server.listen(p, host, () => resolve(true));
    });
    if (ok) break;
  }
  const addr = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${addr.port}/`, server,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const value = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const port = Number(value('--port') ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error(`serve-playground: --port must be 0-65535, got ${value('--port')}`); process.exit(2); }
  try {
    if (!args.includes('--no-build')) {
      const r = await buildPlayground();
      console.log(`built playground/dist in ${r.ms} ms`);
    }
    const isolation = !args.includes('--no-isolation');
    const { url } = await serve({ port, host: value('--host') ?? '127.0.0.1', isolation });
    console.log(`nabla playground: ${url}`);
    console.log(isolation ? '(cross-origin isolated: nabla uses its WebAssembly kernels)' : '(no COOP/COEP headers: nabla uses its js kernels)');
    console.log('Press Ctrl-C to stop.');
  } catch (e) {
    console.error(`serve-playground: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
