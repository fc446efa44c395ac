#!/usr/bin/env node
// Screenshots of the playground for its guide, docs/guides/playground.md (docs/playground/*.png), taken with Debian's
// Chromium through playwright-core: builds and serves the page, trains a few runs, draws a digit.
//
//   npm run playground:screenshots
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPlayground, root } from './build-playground.js';
import { drawStroke, launchChromium, open, trainSteps } from './playground-browser.js';
import { serve } from './serve-playground.js';

const out = join(root, 'docs', 'playground');

{
  await mkdir(out, { recursive: true });
  await buildPlayground();
  const server = await serve({ port: 0 });
  const desktop = await launchChromium({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await desktop.context.newPage();
    await open(page, `${server.url}#dataset=spiral&noise=0&ratio=50&seed=1&layers=8,8,6&activation=tanh&loss=crossEntropy&lr=0.01&batch=10&optimizer=adam&l2=0&dropout=0&showTest=1`);
    await trainSteps(page, 3000);
    await page.screenshot({ path: join(out, 'playground.png'), clip: { x: 0, y: 0, width: 1280, height: 770 } });
    await open(page, `${server.url}#dataset=runge&noise=10&ratio=50&seed=1&layers=8,8&activation=tanh&loss=quadratic&lr=0.01&batch=10&optimizer=adam&l2=0&dropout=0&showTest=1`);
    await trainSteps(page, 2000);
    const cols = (await page.locator('.columns').boundingBox())!;
    await page.screenshot({ path: join(out, 'runge.png'), clip: { x: cols.x + cols.width * 0.26, y: cols.y, width: cols.width * 0.74, height: Math.min(cols.height, 560) } });
    await open(page, `${server.url}#dataset=gaussians&noise=20&ratio=50&seed=1&layers=4&activation=step&loss=crossEntropy&lr=0.03&batch=10&optimizer=adam&l2=0&dropout=0`);
    await trainSteps(page, 1000);
    const bar = (await page.locator('#controls').boundingBox())!, cols2 = (await page.locator('.columns').boundingBox())!;
    await page.screenshot({ path: join(out, 'step-activation.png'), clip: { x: bar.x, y: bar.y, width: bar.width, height: cols2.y + Math.min(cols2.height, 430) - bar.y } });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#digit-canvas')?.dataset.ready === 'true');
    await drawStroke(page, [[60, 50], [210, 50], [200, 80], [150, 160], [120, 235]]); // a 7
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#digit-top')?.dataset.digit !== undefined);
    await page.locator('.panel.digit').screenshot({ path: join(out, 'digit.png') });
  } finally {
    await desktop.close();
  }
  const phone = await launchChromium({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  try {
    const page = await phone.context.newPage();
    await open(page, `${server.url}#dataset=circles&noise=10&ratio=50&seed=1&layers=4,2&activation=tanh&loss=crossEntropy&lr=0.03&batch=10&optimizer=adam&l2=0&dropout=0`);
    await trainSteps(page, 1000);
    await page.screenshot({ path: join(out, 'phone.png'), fullPage: false });
    await page.locator('.panel.output').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(out, 'phone-output.png'), fullPage: false });
  } finally {
    await phone.close();
    await server.close();
  }
  console.log(`wrote ${out}/*.png`);
}
