/**
 * Debian's Chromium driven by playwright-core (no browser download): the playground's browser
 * test and its screenshot script both start it here.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser (NABLA_CHROMIUM may name another Chromium). */
export const CHROMIUM_PATH = process.env['NABLA_CHROMIUM'] || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Starts Chromium with a fresh user-data directory (removed again by `close`).
 * @throws Error when /usr/bin/chromium is missing.
 */
export async function launchChromium(options: { viewport?: { width: number; height: number }; deviceScaleFactor?: number; isMobile?: boolean; hasTouch?: boolean } = {}):
    Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!chromiumAvailable()) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  const { chromium } = await import('playwright-core');
  const userDataDir = await mkdtemp(join(tmpdir(), 'nabla-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    isMobile: options.isMobile ?? false, hasTouch: options.hasTouch ?? false,
  });
  return {
    context,
    close: async () => { await context.close().catch(() => undefined); await rm(userDataDir, { recursive: true, force: true }); },
  };
}

// ---- driving the page ----

/** Waits until the worker has trained up to `step` and is idle. */
export async function waitForStep(page: Page, step: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((n) => document.querySelector<HTMLElement>('#step-count')?.dataset.value === String(n)
    && document.querySelector<HTMLElement>('#controls')?.dataset.busy === 'false', step, { timeout });
}

/** Trains `steps` steps with the Step button (step size 100 or 1000). */
export async function trainSteps(page: Page, steps: number): Promise<void> {
  const size = steps % 1000 === 0 ? 1000 : 100;
  await page.selectOption('#step-size', String(size));
  const start = Number(await page.getAttribute('#step-count', 'data-value'));
  for (let done = 0; done < steps; done += size) {
    await page.click('#step');
    await waitForStep(page, start + done + size);
  }
}

/** Opens the page with a state and waits for the worker to be ready. */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto('about:blank'); // a full load, even when only the URL's fragment differs
  await page.goto(url);
  await page.waitForFunction(() => /Training with/.test(document.querySelector('#status')?.textContent ?? ''));
}

/** Draws a polyline on the digit canvas, in canvas pixels (0-280). */
export async function drawStroke(page: Page, points: [number, number][]): Promise<void> {
  const canvas = page.locator('#digit-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 12 });
  await page.mouse.up();
}
