/**
 * Small chart builders for the examples: each returns a Vega-Lite spec (plain data, no library
 * call), which {@link writeChart} renders to SVG and PNG.
 *
 * - {@link lineChart}: several named series as lines and/or points, linear or log axes;
 * - {@link regionChart}: a classifier's decision regions as a heat map with the labelled points;
 * - {@link barChart}: grouped bars (one group per category, one bar per series).
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from './render.js';

/** Light fills for decision regions and strong colours for points and lines, by class / series. */
const REGION_FILLS = ['#c6dbef', '#fdd0a2', '#c7e9c0', '#dadaeb', '#fcbba1', '#d9d9d9'];
const STRONG = ['#1f77b4', '#e6550d', '#2ca02c', '#756bb1', '#d62728', '#636363', '#8c564b', '#17becf'];
const SHAPES = ['circle', 'cross', 'triangle-up', 'square', 'diamond', 'triangle-down'];

const CONFIG = {
  font: CHART_FONT,
  view: { stroke: '#888' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 1000 },
  title: { fontSize: 14, anchor: 'start' as const },
};

/** One named series of a {@link lineChart}. */
export interface Series {
  /** Shown in the legend. */
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** 'line' (default; drawn in the order given, so a path may turn back), 'point', or 'linePoint'. */
  mark?: 'line' | 'point' | 'linePoint';
  /** Draw the line dashed. Default false. */
  dashed?: boolean;
  /** A CSS colour instead of the next one of the palette (e.g. grey for data behind curves). */
  color?: string;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  title?: string;
  xTitle: string;
  yTitle: string;
  /** Default 'linear'. On a log axis, points with a value <= 0 (or not finite) are left out. */
  xScale?: 'linear' | 'log';
  yScale?: 'linear' | 'log';
  /** Fix an axis's range; marks outside it are clipped. Default: fitted to the data. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Plot area in SVG units (default 480 x 320). */
  width?: number;
  height?: number;
  /** Ticks on the x axis at whole numbers only (epochs, degrees). Default false. */
  xIntegers?: boolean;
  series: Series[];
}

/** The bits a chart of size / title shares. */
function frame(o: { title?: string; width?: number; height?: number }) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(o.title === undefined ? {} : { title: o.title }),
    width: o.width ?? 480,
    height: o.height ?? 320,
    background: 'white',
    config: CONFIG,
  };
}

function drawable(v: number, scale: 'linear' | 'log'): boolean {
  return Number.isFinite(v) && (scale === 'linear' || v > 0);
}

/** An axis's box in scale space (log10 on a log axis), for clipping. */
interface Box { x0: number; x1: number; y0: number; y1: number }

/**
 * Clips the segment (ax, ay)-(bx, by) to the box (Liang-Barsky).
 * @returns the parameters [t0, t1] of the part inside, or null when none is.
 */
function clipSegment(ax: number, ay: number, bx: number, by: number, box: Box): [number, number] | null {
  let t0 = 0, t1 = 1;
  const dx = bx - ax, dy = by - ay;
  for (const [p, q] of [[-dx, ax - box.x0], [dx, box.x1 - ax], [-dy, ay - box.y0], [dy, box.y1 - ay]] as const) {
    if (p === 0) { if (q < 0) return null; continue; }
    const r = q / p;
    if (p < 0) { if (r > t1) return null; if (r > t0) t0 = r; } else { if (r < t0) return null; if (r < t1) t1 = r; }
  }
  return [t0, t1];
}

/**
 * A polyline cut to the box: the pieces inside, each a list of points (in scale space). Vega
 * could clip instead, but resvg (2.6) aborts on a clipped group holding a horizontal line, so
 * the charts clip their data themselves and never ask for `clip`.
 */
function clipPolyline(xs: number[], ys: number[], box: Box): [number, number][][] {
  const pieces: [number, number][][] = [];
  let current: [number, number][] = [];
  for (let i = 0; i + 1 < xs.length; i++) {
    const ax = xs[i]!, ay = ys[i]!, bx = xs[i + 1]!, by = ys[i + 1]!;
    const t = clipSegment(ax, ay, bx, by, box);
    if (!t) { if (current.length) pieces.push(current); current = []; continue; }
    const start: [number, number] = [ax + t[0] * (bx - ax), ay + t[0] * (by - ay)];
    const end: [number, number] = [ax + t[1] * (bx - ax), ay + t[1] * (by - ay)];
    if (current.length === 0 || t[0] > 0) { if (current.length) pieces.push(current); current = [start]; }
    current.push(end);
    if (t[1] < 1) { pieces.push(current); current = []; }
  }
  if (current.length) pieces.push(current);
  if (xs.length === 1 && xs[0]! >= box.x0 && xs[0]! <= box.x1 && ys[0]! >= box.y0 && ys[0]! <= box.y1) pieces.push([[xs[0]!, ys[0]!]]);
  return pieces;
}

/** Each series' colour: its own, or the next palette colour not taken by an earlier series. */
function paletteFor(series: readonly Series[]): string[] {
  let next = 0;
  return series.map((s) => s.color ?? STRONG[next++ % STRONG.length]!);
}

/**
 * A chart of several series against one x axis: lines, points or both, each series its own
 * colour (and dash), one legend. Log axes use Vega's log scale, labelled at 1, 2, 5 x 10^k ({@link logTickValues}). With
 * a fixed domain, lines are cut where they leave it and points outside it are left out.
 * @throws RangeError when a series' x and y differ in length.
 */
export function lineChart(o: LineChartOptions): TopLevelSpec {
  const xScale = o.xScale ?? 'linear', yScale = o.yScale ?? 'linear';
  const fx = xScale === 'log' ? Math.log10 : (v: number) => v, fy = yScale === 'log' ? Math.log10 : (v: number) => v;
  const gx = xScale === 'log' ? (v: number) => 10 ** v : (v: number) => v, gy = yScale === 'log' ? (v: number) => 10 ** v : (v: number) => v;
  const box: Box = {
    x0: o.xDomain ? fx(o.xDomain[0]) : -Infinity, x1: o.xDomain ? fx(o.xDomain[1]) : Infinity,
    y0: o.yDomain ? fy(o.yDomain[0]) : -Infinity, y1: o.yDomain ? fy(o.yDomain[1]) : Infinity,
  };
  const lines: { x: number; y: number; series: string; piece: number; i: number }[] = [];
  const points: { x: number; y: number; series: string }[] = [];
  let piece = 0;
  for (const s of o.series) {
    if (s.x.length !== s.y.length) throw new RangeError(`lineChart: series '${s.name}' has ${s.x.length} x values but ${s.y.length} y values`);
    const mark = s.mark ?? 'line';
    // Split at values a log axis cannot show, then clip each run to the box.
    let xs: number[] = [], ys: number[] = [];
    const flush = () => {
      if (mark !== 'point') {
        for (const p of clipPolyline(xs, ys, box)) {
          p.forEach(([x, y], i) => lines.push({ x: gx(x), y: gy(y), series: s.name, piece, i }));
          piece++;
        }
      }
      xs = []; ys = [];
    };
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!, y = s.y[i]!;
      if (!drawable(x, xScale) || !drawable(y, yScale)) { flush(); continue; }
      xs.push(fx(x)); ys.push(fy(y));
      if (mark !== 'line' && fx(x) >= box.x0 && fx(x) <= box.x1 && fy(y) >= box.y0 && fy(y) <= box.y1) points.push({ x, y, series: s.name });
    }
    flush();
  }
  const names = o.series.map((s) => s.name);
  const hasLines = o.series.some((s) => (s.mark ?? 'line') !== 'point');
  const hasPoints = o.series.some((s) => (s.mark ?? 'line') !== 'line');
  const axisScale = (type: 'linear' | 'log', domain?: [number, number]) =>
    ({ type, ...(domain ? { domain } : {}), ...(type === 'linear' ? { zero: false } : {}), nice: domain === undefined });
  const drawn = [...lines, ...points];
  /** A log axis labelled as {@link logTickValues} spaces them, instead of Vega's 1..9 x 10^k, whose labels collide. */
  const logAxis = (key: 'x' | 'y', domain?: [number, number]) => {
    const v = drawn.map((p) => p[key]);
    const pixels = key === 'x' ? o.width ?? 480 : o.height ?? 320;
    return v.length === 0 && !domain ? {} : { axis: { values: logTickValues(domain?.[0] ?? Math.min(...v), domain?.[1] ?? Math.max(...v), pixels) } };
  };
  const x = {
    field: 'x', type: 'quantitative' as const, title: o.xTitle, scale: axisScale(xScale, o.xDomain),
    ...(o.xIntegers ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
    ...(xScale === 'log' ? logAxis('x', o.xDomain) : {}),
  };
  const y = { field: 'y', type: 'quantitative' as const, title: o.yTitle, scale: axisScale(yScale, o.yDomain), ...(yScale === 'log' ? logAxis('y', o.yDomain) : {}) };
  const color = {
    field: 'series', type: 'nominal' as const, title: null,
    scale: { domain: names, range: paletteFor(o.series) },
    legend: o.series.length > 1 ? { orient: 'bottom' as const, direction: 'horizontal' as const, columns: o.series.length <= 3 ? o.series.length : 2 } : null,
  };
  const layers: object[] = [];
  if (hasLines) {
    layers.push({
      data: { values: lines },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x, y, color, detail: { field: 'piece', type: 'nominal' }, order: { field: 'i', type: 'quantitative' },
        strokeDash: {
          field: 'series', type: 'nominal', legend: null,
          scale: { domain: names, range: o.series.map((s) => (s.dashed ? [6, 4] : [1, 0])) },
        },
      },
    });
  }
  if (hasPoints) {
    layers.push({
      data: { values: points },
      mark: { type: 'point', filled: true, size: 36, opacity: 0.8 },
      encoding: { x, y, color: { ...color, legend: hasLines ? null : color.legend } },
    });
  }
  return { ...frame(o), layer: layers } as TopLevelSpec;
}

/**
 * Tick values of a log axis over [lo, hi] (lo > 0) drawn `pixels` long: m x 10^k for m in 1, 2, 5
 * when a decade has room for those labels (at least 250 px), 1 and 3 when it has 160 px, else 1
 * only; from the decade below lo to the one above hi (a nice log domain ends on whole decades).
 */
export function logTickValues(lo: number, hi: number, pixels = 480): number[] {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) return [];
  const k0 = Math.floor(Math.log10(lo)), k1 = Math.ceil(Math.log10(hi));
  const perDecade = pixels / Math.max(k1 - k0, 1);
  const mantissas = perDecade >= 250 ? [1, 2, 5] : perDecade >= 160 ? [1, 3] : [1];
  const out: number[] = [];
  for (let k = k0; k <= k1; k++) for (const m of mantissas) if (k < k1 || m === 1) out.push(Number((m * 10 ** k).toPrecision(12)));
  return out;
}

/** Cell centres of an nx x ny grid over a rectangle, row by row from the bottom-left. */
export interface Grid {
  nx: number;
  ny: number;
  xDomain: [number, number];
  yDomain: [number, number];
  /** The cell centres, row-major `[nx * ny, 2]`: point (i, j) is at index j * nx + i. */
  points: Float64Array;
}

/** The centres of an nx x ny grid of cells covering xDomain x yDomain (for a classifier's predict). */
export function grid(xDomain: [number, number], yDomain: [number, number], nx: number, ny = nx): Grid {
  const points = new Float64Array(nx * ny * 2);
  const dx = (xDomain[1] - xDomain[0]) / nx, dy = (yDomain[1] - yDomain[0]) / ny;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      points[2 * (j * nx + i)] = xDomain[0] + (i + 0.5) * dx;
      points[2 * (j * nx + i) + 1] = yDomain[0] + (j + 0.5) * dy;
    }
  }
  return { nx, ny, xDomain, yDomain, points };
}

/** Options of {@link regionChart}. */
export interface RegionChartOptions {
  title?: string;
  xTitle: string;
  yTitle: string;
  width?: number;
  height?: number;
  /** Class names, by class index. */
  classes: readonly string[];
  /** The grid the classes were predicted on (from {@link grid}). */
  grid: Grid;
  /** The predicted class index of each grid cell, in the grid's order. */
  regions: ArrayLike<number>;
  /** The labelled points drawn on top (label = class index). */
  points: { x: ArrayLike<number>; y: ArrayLike<number>; label: ArrayLike<number> };
  /** Legend title for the points. Default 'class'. */
  legendTitle?: string;
}

/**
 * Decision regions as a heat map (each class a light fill) with the labelled points on top, each
 * class its own colour and shape. Cells of one row that share a class are drawn as one rectangle,
 * so a 400 x 400 grid stays a small SVG.
 * @throws RangeError when `regions` does not have one value per grid cell.
 */
export function regionChart(o: RegionChartOptions): TopLevelSpec {
  const { nx, ny, xDomain, yDomain } = o.grid;
  if (o.regions.length !== nx * ny) throw new RangeError(`regionChart: expected ${nx * ny} region values (${nx} x ${ny}), got ${o.regions.length}`);
  const dx = (xDomain[1] - xDomain[0]) / nx, dy = (yDomain[1] - yDomain[0]) / ny;
  const cells: { x: number; x2: number; y: number; y2: number; c: string }[] = [];
  for (let j = 0; j < ny; j++) {
    let start = 0;
    for (let i = 1; i <= nx; i++) {
      if (i < nx && o.regions[j * nx + i] === o.regions[j * nx + start]) continue;
      cells.push({
        x: xDomain[0] + start * dx, x2: xDomain[0] + i * dx, y: yDomain[0] + j * dy, y2: yDomain[0] + (j + 1) * dy,
        c: o.classes[o.regions[j * nx + start]!] ?? String(o.regions[j * nx + start]),
      });
      start = i;
    }
  }
  const points: { x: number; y: number; c: string }[] = [];
  for (let i = 0; i < o.points.x.length; i++)
    points.push({ x: o.points.x[i]!, y: o.points.y[i]!, c: o.classes[o.points.label[i]!] ?? String(o.points.label[i]) });
  const domain = [...o.classes];
  const at = <T>(list: readonly T[]) => domain.map((_, i) => list[i % list.length]!);
  const x = { field: 'x', type: 'quantitative' as const, title: o.xTitle, scale: { domain: xDomain, nice: false, zero: false } };
  const y = { field: 'y', type: 'quantitative' as const, title: o.yTitle, scale: { domain: yDomain, nice: false, zero: false } };
  return {
    ...frame({ width: 400, height: 400, ...o }),
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect', strokeWidth: 0.6 },
        encoding: {
          x, y, x2: { field: 'x2' }, y2: { field: 'y2' },
          fill: { field: 'c', type: 'nominal', scale: { domain, range: at(REGION_FILLS) }, legend: null },
          stroke: { field: 'c', type: 'nominal', scale: { domain, range: at(REGION_FILLS) }, legend: null },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', size: 90, strokeWidth: 2.5, filled: false, opacity: 1 },
        encoding: {
          x, y,
          color: { field: 'c', type: 'nominal', title: o.legendTitle ?? 'class', scale: { domain, range: at(STRONG) } },
          shape: { field: 'c', type: 'nominal', title: o.legendTitle ?? 'class', scale: { domain, range: at(SHAPES) } },
        },
      },
    ],
    resolve: { scale: { fill: 'independent', stroke: 'independent' } },
  } as TopLevelSpec;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  title?: string;
  /** Title of the value axis. */
  yTitle: string;
  /** The groups along the x axis (e.g. data sets). */
  categories: readonly string[];
  /** One bar per series in each group; values[c] belongs to categories[c]. */
  series: { name: string; values: ArrayLike<number> }[];
  yDomain?: [number, number];
  width?: number;
  height?: number;
}

/**
 * Grouped bars: for each category, one bar per series side by side, each series its colour.
 * @throws RangeError when a series does not have one value per category.
 */
export function barChart(o: BarChartOptions): TopLevelSpec {
  const values: { category: string; series: string; value: number }[] = [];
  for (const s of o.series) {
    if (s.values.length !== o.categories.length) throw new RangeError(`barChart: series '${s.name}' has ${s.values.length} values for ${o.categories.length} categories`);
    // Bars start at the bottom of a fixed domain (values below it are drawn at it).
    o.categories.forEach((category, c) => values.push({ category, series: s.name, value: o.yDomain ? Math.max(s.values[c]!, o.yDomain[0]) : s.values[c]! }));
  }
  const names = o.series.map((s) => s.name);
  return {
    ...frame(o),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'category', type: 'nominal', title: null, sort: [...o.categories], axis: { labelAngle: 0 } },
      xOffset: { field: 'series', type: 'nominal', sort: names },
      y: { field: 'value', type: 'quantitative', title: o.yTitle, scale: o.yDomain ? { domain: o.yDomain, zero: false } : {} },
      ...(o.yDomain ? { y2: { datum: o.yDomain[0] } } : {}),
      color: {
        field: 'series', type: 'nominal', title: null, sort: names,
        scale: { domain: names, range: names.map((_, i) => STRONG[i % STRONG.length]!) }, legend: { orient: 'bottom' },
      },
    },
  } as TopLevelSpec;
}
