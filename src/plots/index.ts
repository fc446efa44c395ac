/**
 * nabla's plots: chart builders that return Vega-Lite specs ({@link lineChart}, {@link regionChart},
 * {@link barChart}) and {@link writeChart}, which renders one to SVG (vega, headless) and PNG
 * (resvg). Node.js only (files and a native rasteriser); the builders themselves run anywhere.
 */
export { lineChart, regionChart, barChart, grid, logTickValues } from './charts.js';
export type { Series, LineChartOptions, RegionChartOptions, BarChartOptions, Grid } from './charts.js';
export { renderSvg, svgToPng, writeChart, CHART_FONT } from './render.js';
export type { PngOptions, WriteChartOptions } from './render.js';
