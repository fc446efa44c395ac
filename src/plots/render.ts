/**
 * Rendering a chart to files: a Vega-Lite spec is compiled to Vega (vega-lite), rendered to SVG by
 * Vega's headless view (`renderer: 'none'`, no canvas), and the SVG is rasterised to PNG by resvg,
 * whose binary ships inside its npm package (`@resvg/resvg-js` and one optional platform package).
 * Nothing here needs node-canvas or a download outside the npm registry.
 *
 * The three libraries are loaded on first use (dynamic import), so importing nabla, or running a
 * command that draws nothing, does not pay for them.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';

/** The font list every chart asks for; resvg picks the first one installed. */
export const CHART_FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

// vega-lite reports harmless conflicts between layers (two legends merged) on the console; keep it quiet.
const SILENT = {
  level(): never { return SILENT as never; },
  error: () => SILENT, warn: () => SILENT, info: () => SILENT, debug: () => SILENT,
};

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Pixels per SVG unit (default 2: a 500-unit-wide chart becomes about 1,000 pixels wide). */
  scale?: number;
  /** Background colour (default white; Vega's SVG has a transparent background otherwise). */
  background?: string;
}

// Advance widths of DejaVu Sans (the font resvg draws with here) in em, for the characters that
// differ most from the average; every other character counts as 0.62 em.
const NARROW = new Map<string, number>([
  ...[...'iljI.,:;\'|!'].map((c) => [c, 0.29] as [string, number]), ...[...' ftr()[]-/'].map((c) => [c, 0.38] as [string, number]),
  ...[...'mwMW%'].map((c) => [c, 0.92] as [string, number]), ...[...'ABCDGHKNOQRUVXY&'].map((c) => [c, 0.74] as [string, number]),
]);

/**
 * Text width for Vega's layout (legends, axis titles). Without a canvas Vega guesses 0.8 em per
 * character, about a third too wide for DejaVu Sans, which leaves wide empty margins beside
 * legends; this sums per-character widths instead (bold 8% wider).
 */
function textWidth(item: { fontSize?: number; fontWeight?: string | number }, text: unknown): number {
  const value = Array.isArray(text) ? text.join(' ') : String(text ?? '');
  let em = 0;
  for (const c of value) em += NARROW.get(c) ?? 0.62;
  const bold = item.fontWeight === 'bold' || (typeof item.fontWeight === 'number' && item.fontWeight >= 600);
  return Math.ceil(em * (item.fontSize ?? 11) * (bold ? 1.08 : 1));
}

/**
 * Compiles a Vega-Lite spec and renders it to an SVG document, headless.
 * @throws Error when vega-lite or vega rejects the spec (the message is theirs).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec, { logger: SILENT }).spec;
  // Vega measures text through this module-level hook; swap in DejaVu widths for this render only.
  const metrics = (vega as unknown as { textMetrics: { width: (item: object, text: unknown) => number } }).textMetrics;
  const previous = metrics.width;
  metrics.width = textWidth;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  view.logLevel(vega.Error);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
    metrics.width = previous;
  }
}

/**
 * Rasterises an SVG document to PNG bytes with resvg (system fonts, DejaVu Sans preferred).
 * @returns the PNG file's bytes (they start with the 8-byte PNG signature).
 */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: options.background ?? 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  });
  return new Uint8Array(resvg.render().asPng());
}

/** Writes through a temporary file and a rename, so a crash never leaves half a picture. */
function writeAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

/** Options of {@link writeChart}. */
export interface WriteChartOptions extends PngOptions {
  /** Also write the PNG (default true). */
  png?: boolean;
}

/**
 * Renders a chart and writes `<base>.svg` and `<base>.png` (creating folders as needed).
 * @param spec a Vega-Lite spec, for example from {@link lineChart} or {@link regionChart}.
 * @param base the path without extension, e.g. `runs/examples/higham/higham-cost`.
 * @returns the paths written, SVG first.
 */
export async function writeChart(spec: TopLevelSpec, base: string, options: WriteChartOptions = {}): Promise<string[]> {
  const svg = await renderSvg(spec);
  const files = [`${base}.svg`];
  writeAtomic(files[0]!, svg);
  if (options.png ?? true) {
    files.push(`${base}.png`);
    writeAtomic(files[1]!, await svgToPng(svg, options));
  }
  return files;
}
