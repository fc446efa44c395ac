/**
 * "Draw a digit": a small MNIST classifier made by `nabla train` (playground/model/, see its
 * README), loaded with nabla's loadModel from the page's URL. The drawing is turned into a 28x28
 * input by src/data/digit-preprocess.ts, the very functions `nabla predict` runs on a PNG
 * (mnistDigitFromPixels on RGBA bytes), and the probabilities are shown while the user draws.
 * One prediction of this model is a few microseconds of arithmetic, so it runs on the main thread.
 */
import { DigitImageError, mnistDigitFromPixels } from '../../src/data/digit-preprocess.js';
import { loadModel, ready, Tensor, type Sequential } from '../../src/browser.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Pen width on the 280 x 280 canvas: about 2 MNIST pixels once the digit is scaled into 20 x 20. */
const PEN = 20;
/** Arrow keys move the keyboard pen by this many canvas pixels. */
const KEY_STEP = 10;

function softmax(v: number[]): number[] {
  const m = Math.max(...v), e = v.map((x) => Math.exp(x - m)), s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

export function setupDigitPanel(): void {
  const canvas = $<HTMLCanvasElement>('digit-canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const preview = $<HTMLCanvasElement>('digit-preview');
  const top = $('digit-top');
  const bars = $('digit-bars');
  let model: Sequential | null = null;
  let predictQueued = false;
  let drawn = false;

  const rows = Array.from({ length: 10 }, (_, k) => {
    const li = document.createElement('li');
    li.innerHTML = `<span>${k}</span><span class="bar-track"><span class="bar-fill"></span></span><span class="p">–</span>`;
    bars.append(li);
    return { li, fill: li.querySelector<HTMLElement>('.bar-fill')!, text: li.querySelector<HTMLElement>('.p')! };
  });

  function clear(): void {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    preview.getContext('2d')!.clearRect(0, 0, preview.width, preview.height);
    top.textContent = model ? 'Draw a digit' : top.textContent;
    delete top.dataset.digit;
    for (const r of rows) { r.fill.style.width = '0'; r.text.textContent = '–'; r.li.classList.remove('top'); }
  }

  function predict(): void {
    predictQueued = false;
    if (!model || !drawn) return;
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let digit;
    try { digit = mnistDigitFromPixels(img.data, img.width, img.height, 4); }
    catch (e) { if (e instanceof DigitImageError) return; throw e; }
    // What the model sees (white ink on black, as MNIST).
    const p = preview.getContext('2d')!, small = p.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = Math.round(255 * digit.pixels[i]!);
      small.data[4 * i] = v; small.data[4 * i + 1] = v; small.data[4 * i + 2] = v; small.data[4 * i + 3] = 255;
    }
    const tmp = document.createElement('canvas');
    tmp.width = 28; tmp.height = 28;
    tmp.getContext('2d')!.putImageData(small, 0, 0);
    p.imageSmoothingEnabled = false;
    p.drawImage(tmp, 0, 0, preview.width, preview.height);
    const shape = model.inputShape ?? [784];
    const out = Array.from(model.predict(new Tensor(digit.pixels, [1, ...shape])).data);
    const last = model.layers[model.layers.length - 1] as unknown as { outputActivation?: string };
    const probs = last.outputActivation === 'softmax' ? out : softmax(out);
    let best = 0;
    probs.forEach((v, k) => { if (v > probs[best]!) best = k; });
    rows.forEach((r, k) => {
      r.fill.style.width = `${(100 * probs[k]!).toFixed(1)}%`;
      r.text.textContent = `${(100 * probs[k]!).toFixed(1)}%`;
      r.li.classList.toggle('top', k === best);
    });
    top.textContent = `It looks like a ${best} (${(100 * probs[best]!).toFixed(0)}%)`;
    top.dataset.digit = String(best);
  }

  function schedulePredict(): void {
    if (predictQueued) return;
    predictQueued = true;
    requestAnimationFrame(predict);
  }

  // Pointer drawing (mouse, touch, pen).
  let last: [number, number] | null = null;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * canvas.width, ((e.clientY - r.top) / r.height) * canvas.height];
  };
  function line(from: [number, number], to: [number, number]): void {
    ctx.strokeStyle = '#000'; ctx.lineWidth = PEN; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
    ctx.beginPath(); ctx.moveTo(from[0], from[1]); ctx.lineTo(to[0], to[1]); ctx.stroke();
    drawn = true;
    schedulePredict();
  }
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    line(last, last);
    e.preventDefault();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    line(last, p);
    last = p;
  });
  const end = () => { last = null; };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  // Keyboard drawing: arrows move the pen, Space held (or Enter toggled) puts it down.
  const pen = { x: canvas.width / 2, y: canvas.height / 2, down: false, space: false };
  const cursor = document.createElement('div');
  cursor.className = 'digit-cursor';
  cursor.setAttribute('aria-hidden', 'true');
  Object.assign(cursor.style, { position: 'absolute', width: '10px', height: '10px', margin: '-5px 0 0 -5px', borderRadius: '50%', border: '2px solid #7c3aed', pointerEvents: 'none', display: 'none' });
  canvas.parentElement!.style.position = 'relative';
  canvas.parentElement!.append(cursor);
  const placeCursor = () => {
    cursor.style.left = `${canvas.offsetLeft + (pen.x / canvas.width) * canvas.clientWidth}px`;
    cursor.style.top = `${canvas.offsetTop + (pen.y / canvas.height) * canvas.clientHeight}px`;
  };
  canvas.addEventListener('focus', () => { cursor.style.display = 'block'; placeCursor(); });
  canvas.addEventListener('blur', () => { cursor.style.display = 'none'; pen.down = false; pen.space = false; });
  canvas.addEventListener('keydown', (e) => {
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (e.key in moves) {
      e.preventDefault();
      const [dx, dy] = moves[e.key]!;
      const from: [number, number] = [pen.x, pen.y];
      pen.x = Math.min(canvas.width, Math.max(0, pen.x + dx * KEY_STEP));
      pen.y = Math.min(canvas.height, Math.max(0, pen.y + dy * KEY_STEP));
      if (pen.down || pen.space) line(from, [pen.x, pen.y]);
      placeCursor();
    } else if (e.key === ' ') {
      e.preventDefault();
      if (!pen.space) { pen.space = true; line([pen.x, pen.y], [pen.x, pen.y]); }
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pen.down = !pen.down;
      if (pen.down) line([pen.x, pen.y], [pen.x, pen.y]);
    } else if (e.key === 'Escape' || e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      clear();
    }
  });
  canvas.addEventListener('keyup', (e) => { if (e.key === ' ') pen.space = false; });
  $('digit-clear').addEventListener('click', clear);

  clear();
  top.textContent = 'Loading the model…';
  ready()
    .then(() => loadModel(new URL('model/', location.href).href))
    .then((m) => {
      model = m;
      top.textContent = 'Draw a digit';
      canvas.dataset.ready = 'true';
      if (drawn) schedulePredict();
    })
    .catch((e: unknown) => { top.textContent = `The digit model could not be loaded: ${e instanceof Error ? e.message : String(e)}`; });
}
