// Max and average pooling for NHWC images (Backend.maxPoolForward ... avgPoolBackward),
// vectorised across channels. Average pooling sums in f64 like the reference (bit-identical).
import { promoteLow, promoteHigh } from './math';

/** Output cells [o0, o1) of (n, oh, ow), all channels. argmax holds i32 element indices into x. */
export function maxPoolForward(x: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                               strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32,
                               y: usize, argmax: usize): void {
  let o = 0; // output cell index (n, oh, ow)
  for (let n = 0; n < batch; n++) {
    const xn = n * height * width * C;
    for (let oh = 0; oh < outH; oh++) {
      const hs = oh * strideH - padTop;
      const h0 = max(hs, 0), h1 = min(hs + kernelH, height);
      for (let ow = 0; ow < outW; ow++, o++) {
        const ws = ow * strideW - padLeft;
        const w0 = max(ws, 0), w1 = min(ws + kernelW, width);
        const yo = y + (<usize>o * <usize>C << 2), ao = argmax + (<usize>o * <usize>C << 2);
        if (h0 >= h1 || w0 >= w1) {
          for (let c = 0; c < C; c++) { store<f32>(yo + (<usize>c << 2), 0); store<i32>(ao + (<usize>c << 2), -1); }
          continue;
        }
        const first = xn + (h0 * width + w0) * C;
        const rowStep = width * C;
        let c = 0;
        // C >= 4: whole vectors, the last one overlapping the one before when C is not a multiple
        // of 4 (its lanes are computed exactly as the first pass computed them: channels are
        // independent), so no channel goes through the scalar loop.
        const full2x2 = h1 - h0 == 2 && w1 - w0 == 2;
        for (; c < C && C >= 4; c = c + 4 > C - 4 && c + 4 < C ? C - 4 : c + 4) {
          // start from the first inside cell; comparing it with itself changes nothing
          let mx = v128.load(x + (<usize>(first + c) << 2));
          let idx = i32x4.add(i32x4.splat(first + c), i32x4(0, 1, 2, 3));
          if (full2x2) {
            // the 2 x 2 window (LeNet's pools), its cells in the loop's order without the loops
            // (pool1 of LeNet, 64 x 28 x 28 x 6: 184 -> 146 us)
            const i1 = first + c + C, i2 = first + c + rowStep, i3 = i2 + C;
            let v = v128.load(x + (<usize>i1 << 2)), gt = f32x4.gt(v, mx);
            mx = v128.bitselect(v, mx, gt); idx = v128.bitselect(i32x4.add(i32x4.splat(i1), i32x4(0, 1, 2, 3)), idx, gt);
            v = v128.load(x + (<usize>i2 << 2)); gt = f32x4.gt(v, mx);
            mx = v128.bitselect(v, mx, gt); idx = v128.bitselect(i32x4.add(i32x4.splat(i2), i32x4(0, 1, 2, 3)), idx, gt);
            v = v128.load(x + (<usize>i3 << 2)); gt = f32x4.gt(v, mx);
            mx = v128.bitselect(v, mx, gt); idx = v128.bitselect(i32x4.add(i32x4.splat(i3), i32x4(0, 1, 2, 3)), idx, gt);
            v128.store(yo + (<usize>c << 2), mx);
            v128.store(ao + (<usize>c << 2), idx);
            continue;
          }
          let rowStart = first + c;
          for (let h = h0; h < h1; h++, rowStart += rowStep) {
            let i = rowStart;
            for (let w = w0; w < w1; w++, i += C) {
              const v = v128.load(x + (<usize>i << 2));
              const gt = f32x4.gt(v, mx);
              mx = v128.bitselect(v, mx, gt);
              idx = v128.bitselect(i32x4.add(i32x4.splat(i), i32x4(0, 1, 2, 3)), idx, gt);
            }
          }
          v128.store(yo + (<usize>c << 2), mx);
          v128.store(ao + (<usize>c << 2), idx);
        }
        for (; c < C; c++) {
          let best = first + c;
          let mx = load<f32>(x + (<usize>best << 2));
          let rowStart = first + c;
          for (let h = h0; h < h1; h++, rowStart += rowStep) {
            let i = rowStart;
            for (let w = w0; w < w1; w++, i += C) {
              const v = load<f32>(x + (<usize>i << 2));
              if (v > mx) { mx = v; best = i; }
            }
          }
          store<f32>(yo + (<usize>c << 2), mx);
          store<i32>(ao + (<usize>c << 2), best);
        }
      }
    }
  }
}

/** dx = 0 (dxLength numbers), then dx[argmax[i]] += dy[i] for i < count; indices outside [0, dxLength) are skipped. */
export function maxPoolBackward(dy: usize, argmax: usize, count: i32, dx: usize, dxLength: i32): void {
  memory.fill(dx, 0, <usize>dxLength << 2);
  for (let o = 0; o < count; o++) {
    const i = load<i32>(argmax + (<usize>o << 2));
    if (i < 0 || i >= dxLength) continue;
    const p = dx + (<usize>i << 2);
    store<f32>(p, load<f32>(p) + load<f32>(dy + (<usize>o << 2)));
  }
}

export function avgPoolForward(x: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                               strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32, y: usize): void {
  let o = 0;
  for (let n = 0; n < batch; n++) {
    const xn = n * height * width * C;
    for (let oh = 0; oh < outH; oh++) {
      const hs = oh * strideH - padTop;
      const h0 = max(hs, 0), h1 = min(hs + kernelH, height);
      for (let ow = 0; ow < outW; ow++, o++) {
        const ws = ow * strideW - padLeft;
        const w0 = max(ws, 0), w1 = min(ws + kernelW, width);
        const count = max(0, h1 - h0) * max(0, w1 - w0);
        const yo = y + (<usize>o * <usize>C << 2);
        const vcount = f64x2.splat(<f64>count);
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const v = v128.load(x + (<usize>(xn + (h * width + w) * C + c) << 2));
              s0 = f64x2.add(s0, promoteLow(v)); s1 = f64x2.add(s1, promoteHigh(v));
            }
          }
          if (count > 0) {
            const lo = f32x4.demote_f64x2_zero(f64x2.div(s0, vcount)), hi = f32x4.demote_f64x2_zero(f64x2.div(s1, vcount));
            v128.store(yo + (<usize>c << 2), v128.shuffle<i32>(lo, hi, 0, 1, 4, 5));
          } else v128.store(yo + (<usize>c << 2), f32x4.splat(0));
        }
        for (; c < C; c++) {
          let s: f64 = 0;
          for (let h = h0; h < h1; h++)
            for (let w = w0; w < w1; w++) s += <f64>load<f32>(x + (<usize>(xn + (h * width + w) * C + c) << 2));
          store<f32>(yo + (<usize>c << 2), count > 0 ? <f32>(s / <f64>count) : 0);
        }
      }
    }
  }
}

export function avgPoolBackward(dy: usize, batch: i32, height: i32, width: i32, C: i32, kernelH: i32, kernelW: i32,
                                strideH: i32, strideW: i32, padTop: i32, padLeft: i32, outH: i32, outW: i32, dx: usize): void {
  memory.fill(dx, 0, <usize>batch * <usize>height * <usize>width * <usize>C << 2);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    const xn = n * height * width * C;
    for (let oh = 0; oh < outH; oh++) {
      const hs = oh * strideH - padTop;
      const h0 = max(hs, 0), h1 = min(hs + kernelH, height);
      for (let ow = 0; ow < outW; ow++, o++) {
        const ws = ow * strideW - padLeft;
        const w0 = max(ws, 0), w1 = min(ws + kernelW, width);
        const count = max(0, h1 - h0) * max(0, w1 - w0);
        if (count == 0) continue;
        const dyo = dy + (<usize>o * <usize>C << 2);
        const vcount = f64x2.splat(<f64>count);
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          const d = v128.load(dyo + (<usize>c << 2));
          const sh0 = f64x2.div(promoteLow(d), vcount), sh1 = f64x2.div(promoteHigh(d), vcount);
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const p = dx + (<usize>(xn + (h * width + w) * C + c) << 2);
              const v = v128.load(p);
              const lo = f32x4.demote_f64x2_zero(f64x2.add(promoteLow(v), sh0));
              const hi = f32x4.demote_f64x2_zero(f64x2.add(promoteHigh(v), sh1));
              v128.store(p, v128.shuffle<i32>(lo, hi, 0, 1, 4, 5));
            }
          }
        }
        for (; c < C; c++) {
          const share = <f64>load<f32>(dyo + (<usize>c << 2)) / <f64>count;
          for (let h = h0; h < h1; h++)
            for (let w = w0; w < w1; w++) {
              const p = dx + (<usize>(xn + (h * width + w) * C + c) << 2);
              store<f32>(p, <f32>(<f64>load<f32>(p) + share));
            }
        }
      }
    }
  }
}
