/** The chart builders (src/plots): data preparation, clipping, region runs, and rendering to SVG and PNG. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { barChart, grid, lineChart, logTickValues, regionChart, renderSvg, svgToPng, writeChart } from '../../src/plots/index.js';
import { assertPlots, outDir, pngSize } from './helpers.js';

type Layer = { data: { values: Record<string, number | string>[] }; mark: { type: string } };
const layersOf = (spec: object) => (spec as { layer: Layer[] }).layer;

test('lineChart: lines are cut at a fixed domain (no Vega clip), points outside it and values a log axis cannot show are left out', () => {
  const spec = lineChart({
    xTitle: 'x', yTitle: 'y', yDomain: [0, 1],
    series: [
      { name: 'up and down', x: [0, 1, 2, 3, 4], y: [0.5, 2, 0.5, 0.5, -1] },
      { name: 'dots', x: [0, 1, 2], y: [0.5, 5, 0.2], mark: 'point' },
    ],
  });
  const [lines, points] = layersOf(spec);
  assert.equal(lines!.mark.type, 'line');
  assert.ok(!JSON.stringify(spec).includes('"clip"'), 'resvg 2.6 aborts on some clipped groups, so the charts never ask for clip');
  const pieces = new Set(lines!.data.values.map((v) => v['piece']));
  assert.equal(pieces.size, 2, 'the line leaves the domain once (x from 0.33 to 1.67) and is drawn as two pieces');
  for (const v of lines!.data.values) assert.ok((v['y'] as number) >= 0 && (v['y'] as number) <= 1 + 1e-12, JSON.stringify(v));
  const exit = lines!.data.values.find((v) => v['y'] === 1);
  assert.ok(exit && Math.abs((exit['x'] as number) - 1 / 3) < 1e-12, 'cut where the segment crosses y = 1');
  assert.deepEqual(points!.data.values.map((v) => v['y']), [0.5, 0.2]);

  const log = lineChart({ xTitle: 'step', yTitle: 'cost', yScale: 'log', series: [{ name: 'c', x: [1, 2, 3, 4], y: [1, 0, 0.1, 0.01] }] });
  assert.deepEqual(layersOf(log)[0]!.data.values.map((v) => v['y']), [1, 0.1, 0.01]);
  assert.throws(() => lineChart({ xTitle: 'x', yTitle: 'y', series: [{ name: 'bad', x: [1, 2], y: [1] }] }), /series 'bad' has 2 x values but 1 y values/);
});

test('regionChart: cells of a row that share a class become one rectangle', () => {
  const g = grid([0, 1], [0, 1], 100, 50);
  assert.equal(g.points.length, 100 * 50 * 2);
  assert.deepEqual([g.points[0], g.points[1]], [0.005, 0.01]);
  const regions = Int32Array.from({ length: 5000 }, (_, k) => (g.points[2 * k]! > 0.5 ? 1 : 0));
  const spec = regionChart({ xTitle: 'a', yTitle: 'b', classes: ['A', 'B'], grid: g, regions, points: { x: [0.2], y: [0.3], label: [0] } });
  const cells = layersOf(spec)[0]!.data.values;
  assert.equal(cells.length, 100, 'two rectangles per row, 50 rows');
  assert.deepEqual(cells[0], { x: 0, x2: 0.5, y: 0, y2: 0.02, c: 'A' });
  assert.throws(() => regionChart({ xTitle: 'a', yTitle: 'b', classes: ['A'], grid: g, regions: [0], points: { x: [], y: [], label: [] } }), /expected 5000 region values/);
  assert.throws(() => barChart({ yTitle: 'v', categories: ['a', 'b'], series: [{ name: 's', values: [1] }] }), /series 's' has 1 values for 2 categories/);
});

test('rendering: an SVG document and a PNG of twice its size; writeChart writes both', async () => {
  // A horizontal line cut at the domain: the case that made resvg abort when Vega clipped it.
  const spec = lineChart({ title: 'flat', xTitle: 'x', yTitle: 'y', xDomain: [0, 5], yDomain: [0, 4],
    series: [{ name: 'flat', x: [0, 10], y: [2, 2] }, { name: 'steep', x: [0, 1], y: [0, 10], dashed: true }] });
  const svg = await renderSvg(spec);
  const width = Number(/^<svg[^>]* width="(\d+)"/.exec(svg)![1]);
  const png = await svgToPng(svg);
  assert.equal(pngSize(png).width, 2 * width);
  const dir = outDir('plots');
  const files = await writeChart(barChart({ yTitle: 'accuracy', categories: ['a', 'b'], yDomain: [0.5, 1],
    series: [{ name: 'one', values: [0.9, 0.4] }, { name: 'two', values: [0.8, 1] }] }), join(dir, 'bars'));
  assertPlots(files, dir, ['bars']);
});

test('log axes are labelled 1-2-5, 1-3 or 1 per decade as the room allows, never Vega\'s crowded 1..9', () => {
  assert.deepEqual(logTickValues(32, 4096, 480), [10, 30, 100, 300, 1000, 3000, 10000]); // 160 px a decade
  assert.deepEqual(logTickValues(1, 1024, 420), [1, 10, 100, 1000, 10000]); // 105 px
  assert.deepEqual(logTickValues(0.002, 0.09, 600), [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1]); // 300 px
  assert.deepEqual(logTickValues(0, 10), []);
  const spec = lineChart({ xTitle: 'width', yTitle: 'y', xScale: 'log', width: 480, series: [{ name: 's', x: [32, 4096], y: [1, 2] }] });
  const x = (layersOf(spec)[0] as unknown as { encoding: { x: { axis: { values: number[] } } } }).encoding.x;
  assert.deepEqual(x.axis.values, logTickValues(32, 4096, 480));
});
