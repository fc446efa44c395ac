/**
 * How the thread pool (threads.ts) cuts a job into chunks: even ranges of whole aligned units, and
 * a chunk count that balances over the threads. The chunks a job is cut into never change its
 * result: each chunk writes its own part of the output (see docs/design.md, threads).
 */
import { MAX_CHUNKS } from './worker-source.js';

/**
 * Cuts [0, size) into `parts` ranges of whole `align`-sized units, as even as possible; returns
 * the parts + 1 boundaries.
 */
export function chunkBounds(size: number, align: number, parts: number): number[] {
  const units = Math.ceil(size / align);
  const p = Math.max(1, Math.min(parts, units));
  const base = Math.floor(units / p), extra = units % p;
  const out = [0];
  let u = 0;
  for (let t = 0; t < p; t++) {
    u += base + (t < extra ? 1 : 0);
    out.push(Math.min(size, u * align));
  }
  return out;
}

/** A chunk count that is a multiple of `threads` (so equal chunks balance), at most `cap`. */
export function chunkCount(threads: number, wanted: number, cap: number): number {
  const c = Math.min(cap, MAX_CHUNKS, 4 * threads, Math.max(threads, Math.floor(wanted / threads) * threads));
  return Math.max(1, c);
}
