/**
 * Pictures of a network as grids of small images ("tiles"): the filters of a convolutional layer,
 * its feature maps, the weights of a Dense layer's units. Pure functions over typed arrays (no
 * Node.js), so the browser can draw the same pictures on a canvas.
 *
 * The grid maths, which the tests check against the PNG's size:
 *
 * - n tiles of h x w values are laid out in `cols` columns (default ceil(sqrt(n))) and
 *   rows = ceil(n / cols) rows, filled row by row;
 * - each value becomes a `scale` x `scale` block of pixels (nearest-neighbour upscaling), so a
 *   tile is (h scale) x (w scale) pixels;
 * - tiles are separated from each other and from the edge by `gap` pixels of {@link GAP_COLOR}:
 *   width = cols (w scale) + (cols + 1) gap, height = rows (h scale) + (rows + 1) gap.
 *
 * Each tile is normalised to its own minimum and maximum: min -> black, max -> white (a constant
 * tile, such as a feature map that is zero everywhere after relu, is drawn black). An RGB tile (the
 * filters of a layer that reads 3 channels) is normalised over all three channels together.
 */

/** RGB of the lines between tiles: a dark slate blue, distinct from any gray level of a tile. */
export const GAP_COLOR: readonly [number, number, number] = Object.freeze([40, 70, 110]) as readonly [number, number, number];

/** Options of {@link gridLayout} and {@link renderGrid}. */
export interface GridOptions {
  /** Pixels per value along each axis (nearest-neighbour). Default 1. */
  scale?: number;
  /** Pixels between tiles and around the grid. Default 2. */
  gap?: number;
  /** Tiles per row. Default ceil(sqrt(n)). */
  cols?: number;
}

/** Where the tiles of a grid go and how large the picture is. */
export interface GridLayout {
  cols: number;
  rows: number;
  /** Size of one tile in pixels. */
  tileWidth: number;
  tileHeight: number;
  /** Size of the picture in pixels. */
  width: number;
  height: number;
  scale: number;
  gap: number;
}

/** An RGBA picture: `data[(y * width + x) * 4 + channel]`, 8 bits per channel, alpha 255. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`grid: ${name} must be a positive integer, got ${v}`);
  return v;
}

/**
 * The layout of n tiles of h x w values (see the module comment for the formulas).
 * @throws RangeError for a non-positive count, size, scale or column count, or a negative gap.
 */
export function gridLayout(n: number, h: number, w: number, options: GridOptions = {}): GridLayout {
  positiveInt('the number of tiles', n); positiveInt('the tile height', h); positiveInt('the tile width', w);
  const scale = positiveInt('scale', options.scale ?? 1);
  const gap = options.gap ?? 2;
  if (!Number.isInteger(gap) || gap < 0) throw new RangeError(`grid: gap must be an integer >= 0, got ${gap}`);
  const cols = Math.min(n, positiveInt('cols', options.cols ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.ceil(n / cols);
  const tileWidth = w * scale, tileHeight = h * scale;
  return { cols, rows, tileWidth, tileHeight, width: cols * tileWidth + (cols + 1) * gap, height: rows * tileHeight + (rows + 1) * gap, scale, gap };
}

/** Min and max of a tile's values (NaN-free input assumed). */
function range(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) { const v = values[i]!; if (v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}

/** Gray level 0-255 of v on [lo, hi] (0 when the tile is constant). */
function level(v: number, lo: number, hi: number): number {
  return hi > lo ? Math.round(((v - lo) / (hi - lo)) * 255) : 0;
}

/**
 * Draws tiles into one picture (see the module comment).
 * @param tiles each tile's values, row-major: h w values (gray) or h w 3 values (RGB, `channels` 3).
 * @param h tile height in values.
 * @param w tile width in values.
 * @param channels 1 (gray) or 3 (RGB).
 * @throws RangeError when a tile does not hold h w channels values, or for a bad layout option.
 */
export function renderGrid(tiles: readonly ArrayLike<number>[], h: number, w: number, options: GridOptions = {}, channels: 1 | 3 = 1): RgbaImage {
  const L = gridLayout(tiles.length, h, w, options);
  const data = new Uint8Array(L.width * L.height * 4);
  for (let p = 0; p < L.width * L.height; p++) {
    data[p * 4] = GAP_COLOR[0]; data[p * 4 + 1] = GAP_COLOR[1]; data[p * 4 + 2] = GAP_COLOR[2]; data[p * 4 + 3] = 255;
  }
  tiles.forEach((tile, t) => {
    if (tile.length !== h * w * channels) throw new RangeError(`grid: tile ${t} holds ${tile.length} values, expected ${h} x ${w}${channels === 3 ? ' x 3' : ''} = ${h * w * channels}`);
    const [lo, hi] = range(tile);
    const x0 = L.gap + (t % L.cols) * (L.tileWidth + L.gap), y0 = L.gap + Math.floor(t / L.cols) * (L.tileHeight + L.gap);
    for (let py = 0; py < L.tileHeight; py++) {
      const r = Math.floor(py / L.scale);
      for (let px = 0; px < L.tileWidth; px++) {
        const c = Math.floor(px / L.scale), o = ((y0 + py) * L.width + x0 + px) * 4;
        if (channels === 1) {
          const g = level(tile[r * w + c]!, lo, hi);
          data[o] = g; data[o + 1] = g; data[o + 2] = g;
        } else {
          const i = (r * w + c) * 3;
          data[o] = level(tile[i]!, lo, hi); data[o + 1] = level(tile[i + 1]!, lo, hi); data[o + 2] = level(tile[i + 2]!, lo, hi);
        }
      }
    }
  });
  return { width: L.width, height: L.height, data };
}

/**
 * The tiles of a Conv2D kernel [kh, kw, cin, filters] (Keras layout): one gray kh x kw tile per
 * filter when cin is 1, one RGB tile per filter when cin is 3, else one gray tile per (filter,
 * input channel), filter by filter (draw them with `cols: cin`, one filter per row).
 */
export function kernelTiles(kernel: ArrayLike<number>, shape: readonly number[]): { tiles: Float32Array[]; h: number; w: number; channels: 1 | 3; cols?: number } {
  const [kh, kw, cin, F] = shape as [number, number, number, number];
  if (shape.length !== 4 || kernel.length !== kh * kw * cin * F) throw new RangeError(`kernelTiles: expected a kernel [kh, kw, cin, filters], got shape [${shape.join(', ')}] with ${kernel.length} values`);
  const at = (i: number, j: number, c: number, f: number) => kernel[((i * kw + j) * cin + c) * F + f]!;
  const tiles: Float32Array[] = [];
  if (cin === 3) {
    for (let f = 0; f < F; f++) {
      const t = new Float32Array(kh * kw * 3);
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let c = 0; c < 3; c++) t[(i * kw + j) * 3 + c] = at(i, j, c, f);
      tiles.push(t);
    }
    return { tiles, h: kh, w: kw, channels: 3 };
  }
  for (let f = 0; f < F; f++)
    for (let c = 0; c < cin; c++) {
      const t = new Float32Array(kh * kw);
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) t[i * kw + j] = at(i, j, c, f);
      tiles.push(t);
    }
  return cin === 1 ? { tiles, h: kh, w: kw, channels: 1 } : { tiles, h: kh, w: kw, channels: 1, cols: cin };
}

/** The feature maps of one sample of an NHWC activation [1, h, w, c] (or [h, w, c]): one h x w tile per channel. */
export function featureMapTiles(values: ArrayLike<number>, shape: readonly number[]): { tiles: Float32Array[]; h: number; w: number } {
  const s = shape.length === 4 ? shape.slice(1) : shape;
  const [h, w, c] = s as [number, number, number];
  if (s.length !== 3 || values.length < h * w * c) throw new RangeError(`featureMapTiles: expected an activation [1, h, w, channels], got shape [${shape.join(', ')}]`);
  const tiles: Float32Array[] = [];
  for (let ch = 0; ch < c; ch++) {
    const t = new Float32Array(h * w);
    for (let p = 0; p < h * w; p++) t[p] = values[p * c + ch]!;
    tiles.push(t);
  }
  return { tiles, h, w };
}

/** The weights into each unit of a Dense kernel [inputs, units], each reshaped to h x w (h w = inputs): one tile per unit. */
export function denseTiles(kernel: ArrayLike<number>, inputs: number, units: number, h: number, w: number): Float32Array[] {
  if (h * w !== inputs || kernel.length !== inputs * units) throw new RangeError(`denseTiles: a kernel [${inputs}, ${units}] cannot be drawn as ${h} x ${w} tiles`);
  const tiles: Float32Array[] = [];
  for (let u = 0; u < units; u++) {
    const t = new Float32Array(inputs);
    for (let i = 0; i < inputs; i++) t[i] = kernel[i * units + u]!;
    tiles.push(t);
  }
  return tiles;
}
