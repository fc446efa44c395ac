/** Canvas drawing for the playground: heat maps, data points, the network, the loss curves. */
import { runge, type Dataset, type Domain } from './datasets.js';
import { GRID, type LossHistory, type Snapshot } from './protocol.js';
import type { ActivationChoice } from './state.js';
import { ACTIVATION_DEFS } from '../../src/browser.js';

const ORANGE: RGB = [245, 147, 34];
const BLUE: RGB = [8, 119, 189];
const MID: RGB = [232, 234, 235];
type RGB = [number, number, number];

/** Colour of v on a scale from lo (orange) through the middle (light grey) to hi (blue). */
export function colour(v: number, lo: number, hi: number): RGB {
  const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo || 1)));
  const [a, b, u] = t < 0.5 ? [ORANGE, MID, t * 2] : [MID, BLUE, (t - 0.5) * 2];
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

function css([r, g, b]: RGB, alpha = 1): string {
  return `rgba(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)}, ${alpha})`;
}

/** The range an activation's output is coloured over (unbounded ones are clamped to [-1, 1]). */
export function activationRange(a: ActivationChoice): [number, number] {
  const r = ACTIVATION_DEFS[a].range; // [0, 1] for outputs within it (sigmoid, step, ...), else [-1, 1]
  return r && r[0] >= 0 && r[1] <= 1 ? [0, 1] : [-1, 1];
}

/** Sizes a canvas's drawing buffer to its displayed size (times the pixel ratio); returns the CSS size. */
export function fitCanvas(canvas: HTMLCanvasElement, aspect: number): { w: number; h: number; ctx: CanvasRenderingContext2D } {
  const w = Math.max(100, Math.round(canvas.clientWidth || canvas.width));
  const h = Math.round(w * aspect);
  const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { w, h, ctx };
}

const scratch = typeof document !== 'undefined' ? document.createElement('canvas') : null;

/** Draws a size x size grid of values (row 0 at the top) into a rectangle, smoothly scaled. */
export function drawHeatmap(ctx: CanvasRenderingContext2D, values: Float32Array, size: number, x: number, y: number, w: number, h: number,
                            lo: number, hi: number, discretize = false): void {
  const c = scratch!;
  c.width = size; c.height = size;
  const sctx = c.getContext('2d')!;
  const img = sctx.createImageData(size, size);
  const mid = (lo + hi) / 2;
  for (let i = 0; i < size * size; i++) {
    let v = values[i]!;
    if (discretize) v = v >= mid ? hi : lo;
    const [r, g, b] = colour(v, lo, hi);
    img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
  }
  sctx.putImageData(img, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = !discretize;
  ctx.drawImage(c, x, y, w, h);
  ctx.restore();
}

/** Draws values along x (CURVE_POINTS of them) as a line in a rectangle, over [lo, hi]. */
function drawCurve(ctx: CanvasRenderingContext2D, values: Float32Array, x: number, y: number, w: number, h: number, lo: number, hi: number): void {
  ctx.beginPath();
  for (let i = 0; i < values.length; i++) {
    const px = x + (w * i) / (values.length - 1);
    const py = y + h - (h * (Math.min(hi, Math.max(lo, values[i]!)) - lo)) / (hi - lo || 1);
    if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
  }
  ctx.stroke();
}

function toPx(d: Domain, w: number, h: number, x: number, y: number): [number, number] {
  return [((x - d.xMin) / (d.xMax - d.xMin)) * w, ((d.yMax - y) / (d.yMax - d.yMin)) * h];
}

function drawPoints(ctx: CanvasRenderingContext2D, d: Domain, w: number, h: number, xs: Float32Array, ys: Float32Array, test: boolean, radius: number): void {
  for (let i = 0; i < ys.length; i++) {
    const [px, py] = toPx(d, w, h, xs[2 * i]!, xs[2 * i + 1]!);
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
    ctx.fillStyle = css(ys[i]! >= 0.5 ? BLUE : ORANGE);
    ctx.fill();
    ctx.lineWidth = test ? 1.6 : 1;
    ctx.strokeStyle = test ? '#111' : '#fff';
    ctx.stroke();
  }
}

function ticks(d: Domain): { xs: number[]; ys: number[] } {
  const pick = (lo: number, hi: number) => (hi - lo <= 1.01 ? [lo, (lo + hi) / 2, hi] : [-1, 0, 1]).filter((v) => v >= lo && v <= hi);
  return { xs: pick(d.xMin, d.xMax), ys: pick(d.yMin, d.yMax) };
}

function drawAxes(ctx: CanvasRenderingContext2D, d: Domain, w: number, h: number): void {
  ctx.save();
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = 'rgba(0,0,0,0.55)';
  ctx.strokeStyle = 'rgba(0,0,0,0.12)';
  ctx.lineWidth = 1;
  const t = ticks(d);
  for (const x of t.xs) {
    const [px] = toPx(d, w, h, x, 0);
    ctx.beginPath(); ctx.moveTo(px, 0); ctx.lineTo(px, h); ctx.stroke();
    ctx.textAlign = px < 10 ? 'left' : px > w - 10 ? 'right' : 'center';
    ctx.fillText(String(x), px, h - 3);
  }
  for (const y of t.ys) {
    const [, py] = toPx(d, w, h, 0, y);
    ctx.beginPath(); ctx.moveTo(0, py); ctx.lineTo(w, py); ctx.stroke();
    ctx.textAlign = 'left';
    ctx.fillText(String(y), 3, Math.min(h - 14, Math.max(10, py - 2)));
  }
  ctx.restore();
}

/** The output view: decision boundary and points (classification) or fit against target (regression). */
export function drawOutput(canvas: HTMLCanvasElement, data: Dataset, snap: Snapshot | null, showTest: boolean, discretize: boolean): void {
  const { w, h, ctx } = fitCanvas(canvas, 1);
  ctx.clearRect(0, 0, w, h);
  const d = data.domain;
  if (!data.regression) {
    if (snap) drawHeatmap(ctx, snap.output, GRID, 0, 0, w, h, 0, 1, discretize);
    else { ctx.fillStyle = css(MID); ctx.fillRect(0, 0, w, h); }
    drawAxes(ctx, d, w, h);
    const r = Math.max(2.5, w / 95);
    drawPoints(ctx, d, w, h, data.xTrain, data.yTrain, false, r);
    if (showTest) drawPoints(ctx, d, w, h, data.xTest, data.yTest, true, r);
    return;
  }
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
  drawAxes(ctx, d, w, h);
  // The target, the points, the fit.
  ctx.strokeStyle = 'rgba(0,0,0,0.45)'; ctx.setLineDash([5, 4]); ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let i = 0; i <= 200; i++) {
    const x = d.xMin + ((d.xMax - d.xMin) * i) / 200;
    const [px, py] = toPx(d, w, h, x, runge(x));
    if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
  }
  ctx.stroke(); ctx.setLineDash([]);
  const dot = (xs: Float32Array, ys: Float32Array, test: boolean) => {
    for (let i = 0; i < ys.length; i++) {
      const [px, py] = toPx(d, w, h, xs[i]!, ys[i]!);
      ctx.beginPath(); ctx.arc(px, py, Math.max(2.5, w / 110), 0, 2 * Math.PI);
      ctx.fillStyle = test ? '#fff' : css(ORANGE); ctx.fill();
      ctx.strokeStyle = test ? '#111' : '#fff'; ctx.lineWidth = test ? 1.4 : 1; ctx.stroke();
    }
  };
  dot(data.xTrain, data.yTrain, false);
  if (showTest) dot(data.xTest, data.yTest, true);
  if (snap) {
    ctx.strokeStyle = css(BLUE); ctx.lineWidth = 2.5;
    const [, top] = toPx(d, w, h, 0, d.yMax), [, bottom] = toPx(d, w, h, 0, d.yMin);
    drawCurve(ctx, snap.output, 0, top, w, bottom - top, d.yMin, d.yMax);
  }
  ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = 'rgba(0,0,0,0.6)'; ctx.textAlign = 'right';
  ctx.fillText('dashed: 1/(1+25x²)   blue: the network', w - 6, 14);
}

/** Training (grey) and test (black) loss against the step. */
export function drawLossChart(canvas: HTMLCanvasElement, history: LossHistory | null): void {
  const { w, h, ctx } = fitCanvas(canvas, 0.28);
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = '#d8dde2'; ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
  if (!history || history.steps.length < 1) return;
  const all = [...history.train, ...history.test].filter(Number.isFinite);
  const hi = Math.max(1e-9, ...all);
  const last = history.steps[history.steps.length - 1]!;
  const line = (values: number[], colourCss: string) => {
    ctx.strokeStyle = colourCss; ctx.lineWidth = 1.6;
    ctx.beginPath();
    values.forEach((v, i) => {
      const px = 2 + ((w - 4) * (last > 0 ? history.steps[i]! / last : 0));
      const py = h - 2 - (h - 6) * (Math.min(hi, v) / hi);
      if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    });
    ctx.stroke();
  };
  line(history.train, '#8a939b');
  line(history.test, '#1f2328');
  ctx.font = '10px system-ui, sans-serif'; ctx.fillStyle = 'rgba(0,0,0,0.55)';
  ctx.textAlign = 'left'; ctx.fillText(hi.toPrecision(2), 4, 11);
  ctx.textAlign = 'right'; ctx.fillText(`${last} steps`, w - 4, h - 4);
}

export interface NetworkView {
  inputNames: string[];
  /** Neurons per layer: inputs, hidden layers, output. */
  sizes: number[];
}

/** Where each node of the network diagram is (for drawing and for hit tests). */
export function networkLayout(sizes: number[], w: number, h: number): { nodes: { x: number; y: number }[][]; s: number } {
  const maxN = Math.max(...sizes);
  const s = Math.max(18, Math.min(44, (h - 30) / (maxN * 1.3), (w - 20) / (sizes.length * 2.2)));
  const colGap = sizes.length > 1 ? (w - s - 30) / (sizes.length - 1) : 0;
  const nodes = sizes.map((n, l) => {
    const x = 22 + l * colGap;
    const gap = Math.min(s * 1.35, (h - 24) / Math.max(1, n));
    const top = 22 + (h - 22 - gap * n) / 2 + (gap - s) / 2;
    return Array.from({ length: n }, (_, j) => ({ x, y: top + j * gap }));
  });
  return { nodes, s };
}

/** The network: each node drawn as its output over the input space, edges by weight. */
export function drawNetwork(canvas: HTMLCanvasElement, data: Dataset, snap: Snapshot | null, activation: ActivationChoice, hidden: number[], discretize: boolean): void {
  const sizes = [data.inputDim, ...hidden, 1];
  const aspect = Math.min(0.75, Math.max(0.45, (Math.max(...sizes) * 40 + 40) / Math.max(300, canvas.clientWidth || 520)));
  const { w, h, ctx } = fitCanvas(canvas, aspect);
  ctx.clearRect(0, 0, w, h);
  const { nodes, s } = networkLayout(sizes, w, h);
  // Edges first, under the nodes.
  if (snap) {
    snap.weights.forEach((lw, l) => {
      for (let i = 0; i < lw.inUnits; i++)
        for (let j = 0; j < lw.units; j++) {
          const wv = lw.kernel[i * lw.units + j]!;
          const a = nodes[l]![i]!, b = nodes[l + 1]![j]!;
          if (!a || !b) continue;
          ctx.strokeStyle = css(wv >= 0 ? BLUE : ORANGE, 0.8);
          ctx.lineWidth = Math.min(8, 0.4 + Math.abs(wv) * 1.8);
          const x0 = a.x + s, y0 = a.y + s / 2, x1 = b.x, y1 = b.y + s / 2, mx = (x0 + x1) / 2;
          ctx.beginPath(); ctx.moveTo(x0, y0); ctx.bezierCurveTo(mx, y0, mx, y1, x1, y1); ctx.stroke();
        }
    });
  }
  // Column titles.
  ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = 'rgba(0,0,0,0.6)'; ctx.textAlign = 'center';
  sizes.forEach((n, l) => {
    const title = l === 0 ? 'input' : l === sizes.length - 1 ? 'output' : `${n} neuron${n === 1 ? '' : 's'}`;
    ctx.fillText(title, nodes[l]![0]!.x + s / 2, 12);
  });
  const [lo, hi] = activationRange(activation);
  const d = data.domain;
  sizes.forEach((n, l) => {
    for (let j = 0; j < n; j++) {
      const { x, y } = nodes[l]![j]!;
      ctx.fillStyle = '#fff'; ctx.fillRect(x, y, s, s);
      if (l === 0) drawInputNode(ctx, data, j, x, y, s);
      else if (snap) {
        const values = l === sizes.length - 1 ? snap.output : snap.neurons[l - 1]?.[j];
        if (values) {
          const isOut = l === sizes.length - 1;
          if (data.inputDim === 2) drawHeatmap(ctx, values, GRID, x, y, s, s, isOut ? 0 : lo, isOut ? 1 : hi, discretize && isOut);
          else {
            const m = isOut ? [d.yMin, d.yMax] : curveRange(values, lo, hi);
            ctx.strokeStyle = css(BLUE); ctx.lineWidth = 1.3;
            drawCurve(ctx, values, x + 1, y + 1, s - 2, s - 2, m[0]!, m[1]!);
          }
        }
      }
      ctx.strokeStyle = '#8a939b'; ctx.lineWidth = 1; ctx.strokeRect(x + 0.5, y + 0.5, s - 1, s - 1);
      if (l === 0) {
        ctx.fillStyle = 'rgba(0,0,0,0.7)'; ctx.textAlign = 'right';
        ctx.fillText(data.inputDim === 1 ? 'x' : `x${j + 1}`, x - 3, y + s / 2 + 4);
      }
    }
  });
}

function curveRange(values: Float32Array, lo: number, hi: number): [number, number] {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return lo === 0 ? [0, Math.max(hi, m)] : [-Math.max(hi, m), Math.max(hi, m)];
}

function drawInputNode(ctx: CanvasRenderingContext2D, data: Dataset, j: number, x: number, y: number, s: number): void {
  const d = data.domain;
  if (data.inputDim === 1) {
    ctx.strokeStyle = css(BLUE); ctx.lineWidth = 1.3;
    ctx.beginPath(); ctx.moveTo(x + 1, y + s - 1); ctx.lineTo(x + s - 1, y + 1); ctx.stroke();
    return;
  }
  const g = 16, values = new Float32Array(g * g);
  for (let r = 0; r < g; r++)
    for (let c = 0; c < g; c++) {
      const vx = d.xMin + ((d.xMax - d.xMin) * (c + 0.5)) / g, vy = d.yMax - ((d.yMax - d.yMin) * (r + 0.5)) / g;
      const v = j === 0 ? vx : vy, lo = j === 0 ? d.xMin : d.yMin, hi = j === 0 ? d.xMax : d.yMax;
      values[r * g + c] = (2 * (v - lo)) / (hi - lo) - 1;
    }
  drawHeatmap(ctx, values, g, x, y, s, s, -1, 1);
}

/** A small picture of a data set (for the chooser). */
export function drawThumbnail(canvas: HTMLCanvasElement, data: Dataset): void {
  const w = canvas.width, h = canvas.height, ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
  const d = data.domain;
  if (data.regression) {
    ctx.strokeStyle = css(BLUE); ctx.lineWidth = 2; ctx.beginPath();
    for (let i = 0; i <= 60; i++) {
      const x = d.xMin + ((d.xMax - d.xMin) * i) / 60;
      const [px, py] = toPx(d, w, h, x, runge(x));
      if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    }
    ctx.stroke();
    for (let i = 0; i < data.yTrain.length; i += 2) {
      const [px, py] = toPx(d, w, h, data.xTrain[i]!, data.yTrain[i]!);
      ctx.fillStyle = css(ORANGE); ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
    }
    return;
  }
  const r = data.yTrain.length <= 10 ? 4 : 2;
  for (const [xs, ys] of [[data.xTrain, data.yTrain], [data.xTest, data.yTest]] as const)
    for (let i = 0; i < ys.length; i++) {
      const [px, py] = toPx(d, w, h, xs[2 * i]!, xs[2 * i + 1]!);
      ctx.fillStyle = css(ys[i]! >= 0.5 ? BLUE : ORANGE);
      ctx.beginPath(); ctx.arc(px, py, r, 0, 2 * Math.PI); ctx.fill();
    }
}
