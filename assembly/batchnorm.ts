// Batch normalisation per column (Backend.batchNormStats / Forward / Backward). These mirror the
// reference's arithmetic exactly (f32 running sums for the statistics; f64 for the rest), two
// columns per f64x2 lane pair, so they agree with it bit for bit. `work` is scratch of at least
// 24 * cols bytes (f64 per-column temporaries).
import { promoteLow, promoteHigh } from './math';

@inline function demote2(lo: v128, hi: v128): v128 {
  return v128.shuffle<i32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

export function batchNormStats(x: usize, rows: i32, cols: i32, mean: usize, variance: usize): void {
  const cb = <usize>cols << 2;
  memory.fill(mean, 0, cb);
  memory.fill(variance, 0, cb);
  // mean[c] += x[r, c] in f32, row by row (as the reference accumulates into the f32 array)
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * cb;
    let c = 0;
    for (; c + 4 <= cols; c += 4) { const o = <usize>c << 2; v128.store(mean + o, f32x4.add(v128.load(mean + o), v128.load(xr + o))); }
    for (; c < cols; c++) { const o = <usize>c << 2; store<f32>(mean + o, load<f32>(mean + o) + load<f32>(xr + o)); }
  }
  const fr = <f32>rows;
  for (let c = 0; c < cols; c++) { const o = <usize>c << 2; store<f32>(mean + o, load<f32>(mean + o) / fr); }
  // variance[c] = f32(variance[c] + d * d) with d = x - mean in f64
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * cb;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2;
      const xv = v128.load(xr + o), mv = v128.load(mean + o), vv = v128.load(variance + o);
      const dl = f64x2.sub(promoteLow(xv), promoteLow(mv)), dh = f64x2.sub(promoteHigh(xv), promoteHigh(mv));
      v128.store(variance + o, demote2(f64x2.add(promoteLow(vv), f64x2.mul(dl, dl)), f64x2.add(promoteHigh(vv), f64x2.mul(dh, dh))));
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const d = <f64>load<f32>(xr + o) - <f64>load<f32>(mean + o);
      store<f32>(variance + o, <f32>(<f64>load<f32>(variance + o) + d * d));
    }
  }
  for (let c = 0; c < cols; c++) { const o = <usize>c << 2; store<f32>(variance + o, load<f32>(variance + o) / fr); }
}

/** gamma / beta are 0 for "absent"; xhat is 0 when not wanted. */
export function batchNormForward(x: usize, rows: i32, cols: i32, mean: usize, variance: usize, gamma: usize, beta: usize,
                                 epsilon: f64, xhat: usize, y: usize, work: usize): void {
  const inv = work; // f64[cols]
  for (let c = 0; c < cols; c++) store<f64>(inv + (<usize>c << 3), 1.0 / sqrt<f64>(<f64>load<f32>(variance + (<usize>c << 2)) + epsilon));
  const cb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * cb, yr = y + <usize>r * cb, hr = xhat + <usize>r * cb;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2, o8 = <usize>c << 3;
      const xv = v128.load(xr + o), mv = v128.load(mean + o);
      let hl = f64x2.mul(f64x2.sub(promoteLow(xv), promoteLow(mv)), v128.load(inv + o8));
      let hh = f64x2.mul(f64x2.sub(promoteHigh(xv), promoteHigh(mv)), v128.load(inv + o8, 16));
      if (xhat) v128.store(hr + o, demote2(hl, hh));
      if (gamma) { const g = v128.load(gamma + o); hl = f64x2.mul(promoteLow(g), hl); hh = f64x2.mul(promoteHigh(g), hh); }
      if (beta) { const b = v128.load(beta + o); hl = f64x2.add(hl, promoteLow(b)); hh = f64x2.add(hh, promoteHigh(b)); }
      else { hl = f64x2.add(hl, f64x2.splat(0)); hh = f64x2.add(hh, f64x2.splat(0)); }
      v128.store(yr + o, demote2(hl, hh));
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const h = (<f64>load<f32>(xr + o) - <f64>load<f32>(mean + o)) * load<f64>(inv + (<usize>c << 3));
      if (xhat) store<f32>(hr + o, <f32>h);
      store<f32>(yr + o, <f32>((gamma ? <f64>load<f32>(gamma + o) * h : h) + (beta ? <f64>load<f32>(beta + o) : 0)));
    }
  }
}

/** dgamma / dbeta / dx / gamma are 0 for "absent". */
export function batchNormBackward(dy: usize, xhat: usize, rows: i32, cols: i32, variance: usize, gamma: usize, epsilon: f64,
                                  batchStatistics: i32, dgamma: usize, dbeta: usize, dx: usize, work: usize): void {
  const sumDy = work, sumDyXhat = work + (<usize>cols << 3), k = work + (<usize>cols << 4);
  memory.fill(work, 0, <usize>cols << 4);
  const cb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const dr = dy + <usize>r * cb, hr = xhat + <usize>r * cb;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2, o8 = <usize>c << 3;
      const d = v128.load(dr + o), h = v128.load(hr + o);
      const dl = promoteLow(d), dh = promoteHigh(d);
      v128.store(sumDy + o8, f64x2.add(v128.load(sumDy + o8), dl));
      v128.store(sumDy + o8, f64x2.add(v128.load(sumDy + o8, 16), dh), 16);
      v128.store(sumDyXhat + o8, f64x2.add(v128.load(sumDyXhat + o8), f64x2.mul(dl, promoteLow(h))));
      v128.store(sumDyXhat + o8, f64x2.add(v128.load(sumDyXhat + o8, 16), f64x2.mul(dh, promoteHigh(h))), 16);
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2, o8 = <usize>c << 3;
      const d = <f64>load<f32>(dr + o);
      store<f64>(sumDy + o8, load<f64>(sumDy + o8) + d);
      store<f64>(sumDyXhat + o8, load<f64>(sumDyXhat + o8) + d * <f64>load<f32>(hr + o));
    }
  }
  if (dbeta) for (let c = 0; c < cols; c++) store<f32>(dbeta + (<usize>c << 2), <f32>load<f64>(sumDy + (<usize>c << 3)));
  if (dgamma) for (let c = 0; c < cols; c++) store<f32>(dgamma + (<usize>c << 2), <f32>load<f64>(sumDyXhat + (<usize>c << 3)));
  if (!dx) return;
  const m = <f64>rows;
  for (let c = 0; c < cols; c++) {
    const o = <usize>c << 2;
    const g: f64 = gamma ? <f64>load<f32>(gamma + o) : 1.0;
    store<f64>(k + (<usize>c << 3), g / sqrt<f64>(<f64>load<f32>(variance + o) + epsilon) / (batchStatistics ? m : 1.0));
  }
  const vm = f64x2.splat(m);
  for (let r = 0; r < rows; r++) {
    const dr = dy + <usize>r * cb, hr = xhat + <usize>r * cb, xr = dx + <usize>r * cb;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2, o8 = <usize>c << 3;
      const d = v128.load(dr + o);
      let lo: v128, hi: v128;
      if (batchStatistics) {
        const h = v128.load(hr + o);
        lo = f64x2.sub(f64x2.sub(f64x2.mul(vm, promoteLow(d)), v128.load(sumDy + o8)), f64x2.mul(promoteLow(h), v128.load(sumDyXhat + o8)));
        hi = f64x2.sub(f64x2.sub(f64x2.mul(vm, promoteHigh(d)), v128.load(sumDy + o8, 16)), f64x2.mul(promoteHigh(h), v128.load(sumDyXhat + o8, 16)));
      } else { lo = promoteLow(d); hi = promoteHigh(d); }
      v128.store(xr + o, demote2(f64x2.mul(v128.load(k + o8), lo), f64x2.mul(v128.load(k + o8, 16), hi)));
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2, o8 = <usize>c << 3;
      const d = <f64>load<f32>(dr + o);
      const t = batchStatistics ? m * d - load<f64>(sumDy + o8) - <f64>load<f32>(hr + o) * load<f64>(sumDyXhat + o8) : d;
      store<f32>(xr + o, <f32>(load<f64>(k + o8) * t));
    }
  }
}
