// Helpers of the example tests: a fresh output folder and checks that plot files are real SVG / PNG.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder for an example's plots. */
export function outDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `nabla-example-${name}-`));
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Asserts that `files` are the expected plots, in pairs `<name>.svg`, `<name>.png`, all inside
 * `dir`: each exists, the SVG is an SVG document with drawn marks, the PNG starts with the PNG
 * signature and has a plausible size (a chart, not an empty or absurd image).
 */
export function assertPlots(files: readonly string[], dir: string, names: readonly string[]): void {
  assert.deepEqual([...files].sort(), names.flatMap((n) => [join(dir, `${n}.svg`), join(dir, `${n}.png`)]).sort());
  for (const file of files) {
    assert.ok(existsSync(file), `${file} exists`);
    if (file.endsWith('.svg')) {
      const svg = readFileSync(file, 'utf8');
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `${file} is an SVG document`);
      assert.match(svg, /<\/svg>\s*$/, `${file} is complete`);
      assert.match(svg, /<path[^>]* d="M/, `${file} draws something`);
    } else {
      const png = new Uint8Array(readFileSync(file));
      assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE, `${file} has the PNG signature`);
      const { width, height } = pngSize(png);
      assert.ok(width >= 400 && width <= 4000 && height >= 300 && height <= 4000, `${file} is ${width} x ${height}`);
      assert.ok(png.length > 5000, `${file} holds a picture (${png.length} bytes)`);
    }
  }
}
