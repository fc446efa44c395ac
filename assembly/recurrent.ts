// The recurrent layers' fused per-step gate kernels (Backend.rnnStep*, lstmStep*, gruStep*; the
// float64 reference and the formulas are src/kernels/js/recurrent.ts and src/kernels/backend.ts).
// Pointers are byte offsets of f32 arrays; `mask` and `dy` may be 0 (none). Activations are the
// registry's ids, evaluated with the vector bodies of activations.ts (fwd / bwd). Each row's units
// run 4 at a time, the tail one lane at a time through the same bodies.
import { bwd, fwd } from './activations';

@inline function ld(p: usize, full: bool): v128 { return full ? v128.load(p) : f32x4.splat(load<f32>(p)); }
@inline function st(p: usize, v: v128, full: bool): void { if (full) v128.store(p, v); else store<f32>(p, f32x4.extract_lane(v, 0)); }
@inline function present(mask: usize, r: i32): bool { return mask == 0 || load<f32>(mask + (<usize>r << 2)) != 0; }

@inline function rnnFwd(z: usize, hPrev: usize, on: bool, act: i32, va: v128, h: usize, o: usize, full: bool): void {
  st(h + o, on ? fwd(act, ld(z + o, full), va) : ld(hPrev + o, full), full);
}

export function rnnStepForward(z: usize, hPrev: usize, mask: usize, rows: i32, units: i32, act: i32, alpha: f64, h: usize): void {
  const va = f64x2.splat(alpha);
  for (let r = 0; r < rows; r++) {
    const on = present(mask, r), base = <usize>(r * units) << 2;
    let j = 0;
    for (; j + 4 <= units; j += 4) rnnFwd(z, hPrev, on, act, va, h, base + (<usize>j << 2), true);
    for (; j < units; j++) rnnFwd(z, hPrev, on, act, va, h, base + (<usize>j << 2), false);
  }
}

@inline function rnnBwd(z: usize, h: usize, on: bool, dy: usize, dh: usize, act: i32, va: v128, dz: usize, o: usize, full: bool): void {
  let dht = ld(dh + o, full);
  if (dy != 0) dht = f32x4.add(dht, ld(dy + o, full));
  if (on) { st(dz + o, bwd(act, ld(z + o, full), ld(h + o, full), dht, va), full); st(dh + o, f32x4.splat(0), full); }
  else { st(dz + o, f32x4.splat(0), full); st(dh + o, dht, full); }
}

export function rnnStepBackward(z: usize, h: usize, mask: usize, dy: usize, dh: usize, rows: i32, units: i32, act: i32, alpha: f64, dz: usize): void {
  const va = f64x2.splat(alpha);
  for (let r = 0; r < rows; r++) {
    const on = present(mask, r), base = <usize>(r * units) << 2;
    let j = 0;
    for (; j + 4 <= units; j += 4) rnnBwd(z, h, on, dy, dh, act, va, dz, base + (<usize>j << 2), true);
    for (; j < units; j++) rnnBwd(z, h, on, dy, dh, act, va, dz, base + (<usize>j << 2), false);
  }
}

// gi: byte offset of the i block's element in z / gates; o: byte offset in the [rows, u] arrays; ub: u in bytes.
@inline function lstmFwd(z: usize, cPrev: usize, hPrev: usize, on: bool, act: i32, ract: i32, va: v128, gates: usize, c: usize, h: usize,
                         gi: usize, o: usize, ub: usize, full: bool): void {
  const i = fwd(ract, ld(z + gi, full), va), f = fwd(ract, ld(z + gi + ub, full), va);
  const g = fwd(act, ld(z + gi + 2 * ub, full), va), og = fwd(ract, ld(z + gi + 3 * ub, full), va);
  st(gates + gi, i, full); st(gates + gi + ub, f, full); st(gates + gi + 2 * ub, g, full); st(gates + gi + 3 * ub, og, full);
  if (on) {
    const cc = f32x4.add(f32x4.mul(f, ld(cPrev + o, full)), f32x4.mul(i, g));
    st(c + o, cc, full);
    st(h + o, f32x4.mul(og, fwd(act, cc, va)), full);
  } else { st(c + o, ld(cPrev + o, full), full); st(h + o, ld(hPrev + o, full), full); }
}

export function lstmStepForward(z: usize, cPrev: usize, hPrev: usize, mask: usize, rows: i32, units: i32, act: i32, ract: i32, alpha: f64,
                                gates: usize, c: usize, h: usize): void {
  const va = f64x2.splat(alpha), ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const on = present(mask, r), gbase = <usize>(r * 4 * units) << 2, base = <usize>(r * units) << 2;
    let j = 0;
    for (; j + 4 <= units; j += 4) lstmFwd(z, cPrev, hPrev, on, act, ract, va, gates, c, h, gbase + (<usize>j << 2), base + (<usize>j << 2), ub, true);
    for (; j < units; j++) lstmFwd(z, cPrev, hPrev, on, act, ract, va, gates, c, h, gbase + (<usize>j << 2), base + (<usize>j << 2), ub, false);
  }
}

@inline function lstmBwd(z: usize, gates: usize, cPrev: usize, c: usize, on: bool, dy: usize, dh: usize, dc: usize, act: i32, ract: i32, va: v128,
                         dz: usize, gi: usize, o: usize, ub: usize, full: bool): void {
  let dht = ld(dh + o, full);
  if (dy != 0) dht = f32x4.add(dht, ld(dy + o, full));
  if (!on) {
    const zero = f32x4.splat(0);
    st(dz + gi, zero, full); st(dz + gi + ub, zero, full); st(dz + gi + 2 * ub, zero, full); st(dz + gi + 3 * ub, zero, full);
    st(dh + o, dht, full);
    return;
  }
  const i = ld(gates + gi, full), f = ld(gates + gi + ub, full), g = ld(gates + gi + 2 * ub, full), og = ld(gates + gi + 3 * ub, full);
  const cv = ld(c + o, full), ac = fwd(act, cv, va);
  const dct = f32x4.add(ld(dc + o, full), bwd(act, cv, ac, f32x4.mul(dht, og), va));
  st(dz + gi, bwd(ract, ld(z + gi, full), i, f32x4.mul(dct, g), va), full);
  st(dz + gi + ub, bwd(ract, ld(z + gi + ub, full), f, f32x4.mul(dct, ld(cPrev + o, full)), va), full);
  st(dz + gi + 2 * ub, bwd(act, ld(z + gi + 2 * ub, full), g, f32x4.mul(dct, i), va), full);
  st(dz + gi + 3 * ub, bwd(ract, ld(z + gi + 3 * ub, full), og, f32x4.mul(dht, ac), va), full);
  st(dc + o, f32x4.mul(dct, f), full);
  st(dh + o, f32x4.splat(0), full);
}

export function lstmStepBackward(z: usize, gates: usize, cPrev: usize, c: usize, mask: usize, dy: usize, dh: usize, dc: usize,
                                 rows: i32, units: i32, act: i32, ract: i32, alpha: f64, dz: usize): void {
  const va = f64x2.splat(alpha), ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const on = present(mask, r), gbase = <usize>(r * 4 * units) << 2, base = <usize>(r * units) << 2;
    let j = 0;
    for (; j + 4 <= units; j += 4) lstmBwd(z, gates, cPrev, c, on, dy, dh, dc, act, ract, va, dz, gbase + (<usize>j << 2), base + (<usize>j << 2), ub, true);
    for (; j < units; j++) lstmBwd(z, gates, cPrev, c, on, dy, dh, dc, act, ract, va, dz, gbase + (<usize>j << 2), base + (<usize>j << 2), ub, false);
  }
}

// hzh = 0: reset after (hh from xz_h + r hz_h); else reset before (hh from xz_h + hzh_h).
@inline function gruFwd(xz: usize, hz: usize, hzh: usize, hPrev: usize, on: bool, act: i32, ract: i32, va: v128, pre: usize, gates: usize, h: usize,
                        gz: usize, o: usize, ub: usize, full: bool): void {
  const pz = f32x4.add(ld(xz + gz, full), ld(hz + gz, full)), pr = f32x4.add(ld(xz + gz + ub, full), ld(hz + gz + ub, full));
  const zg = fwd(ract, pz, va), rg = fwd(ract, pr, va);
  const ph = f32x4.add(ld(xz + gz + 2 * ub, full), hzh == 0 ? f32x4.mul(rg, ld(hz + gz + 2 * ub, full)) : ld(hzh + gz + 2 * ub, full));
  const hh = fwd(act, ph, va);
  st(pre + gz, pz, full); st(pre + gz + ub, pr, full); st(pre + gz + 2 * ub, ph, full);
  st(gates + gz, zg, full); st(gates + gz + ub, rg, full); st(gates + gz + 2 * ub, hh, full);
  const hp = ld(hPrev + o, full);
  st(h + o, on ? f32x4.add(f32x4.mul(zg, hp), f32x4.mul(f32x4.sub(f32x4.splat(1), zg), hh)) : hp, full);
}

export function gruStepForward(xz: usize, hz: usize, hzh: usize, hPrev: usize, mask: usize, rows: i32, units: i32, act: i32, ract: i32, alpha: f64,
                               pre: usize, gates: usize, h: usize): void {
  const va = f64x2.splat(alpha), ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const on = present(mask, r), gbase = <usize>(r * 3 * units) << 2, base = <usize>(r * units) << 2;
    let j = 0;
    for (; j + 4 <= units; j += 4) gruFwd(xz, hz, hzh, hPrev, on, act, ract, va, pre, gates, h, gbase + (<usize>j << 2), base + (<usize>j << 2), ub, true);
    for (; j < units; j++) gruFwd(xz, hz, hzh, hPrev, on, act, ract, va, pre, gates, h, gbase + (<usize>j << 2), base + (<usize>j << 2), ub, false);
  }
}

// hz = 0: reset before (dxz's r block 0, dhz = (0, 0, dpre_h); gruResetGateBackward completes them).
@inline function gruBwd(pre: usize, gates: usize, hz: usize, hPrev: usize, on: bool, dy: usize, dh: usize, act: i32, ract: i32, va: v128,
                        dxz: usize, dhz: usize, gz: usize, o: usize, ub: usize, full: bool): void {
  let dht = ld(dh + o, full);
  if (dy != 0) dht = f32x4.add(dht, ld(dy + o, full));
  if (!on) {
    const zero = f32x4.splat(0);
    st(dxz + gz, zero, full); st(dxz + gz + ub, zero, full); st(dxz + gz + 2 * ub, zero, full);
    st(dhz + gz, zero, full); st(dhz + gz + ub, zero, full); st(dhz + gz + 2 * ub, zero, full);
    st(dh + o, dht, full);
    return;
  }
  const zg = ld(gates + gz, full), rg = ld(gates + gz + ub, full), hh = ld(gates + gz + 2 * ub, full);
  const dph = bwd(act, ld(pre + gz + 2 * ub, full), hh, f32x4.mul(dht, f32x4.sub(f32x4.splat(1), zg)), va);
  const dpz = bwd(ract, ld(pre + gz, full), zg, f32x4.mul(dht, f32x4.sub(ld(hPrev + o, full), hh)), va);
  st(dxz + gz, dpz, full); st(dxz + gz + 2 * ub, dph, full);
  if (hz == 0) {
    const zero = f32x4.splat(0);
    st(dxz + gz + ub, zero, full); st(dhz + gz, zero, full); st(dhz + gz + ub, zero, full); st(dhz + gz + 2 * ub, dph, full);
  } else {
    const dpr = bwd(ract, ld(pre + gz + ub, full), rg, f32x4.mul(dph, ld(hz + gz + 2 * ub, full)), va);
    st(dxz + gz + ub, dpr, full);
    st(dhz + gz, dpz, full); st(dhz + gz + ub, dpr, full); st(dhz + gz + 2 * ub, f32x4.mul(dph, rg), full);
  }
  st(dh + o, f32x4.mul(dht, zg), full);
}

export function gruStepBackward(pre: usize, gates: usize, hz: usize, hPrev: usize, mask: usize, dy: usize, dh: usize, rows: i32, units: i32,
                                act: i32, ract: i32, alpha: f64, dxz: usize, dhz: usize): void {
  const va = f64x2.splat(alpha), ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const on = present(mask, r), gbase = <usize>(r * 3 * units) << 2, base = <usize>(r * units) << 2;
    let j = 0;
    for (; j + 4 <= units; j += 4) gruBwd(pre, gates, hz, hPrev, on, dy, dh, act, ract, va, dxz, dhz, gbase + (<usize>j << 2), base + (<usize>j << 2), ub, true);
    for (; j < units; j++) gruBwd(pre, gates, hz, hPrev, on, dy, dh, act, ract, va, dxz, dhz, gbase + (<usize>j << 2), base + (<usize>j << 2), ub, false);
  }
}

// The reset-before GRU's reset gate: rh = sigma(xz_r + hz_r) hPrev (rows x u; xz, hz rows x 3u).
@inline function gruReset(xz: usize, hz: usize, hPrev: usize, ract: i32, va: v128, rh: usize, gr: usize, o: usize, full: bool): void {
  st(rh + o, f32x4.mul(fwd(ract, f32x4.add(ld(xz + gr, full), ld(hz + gr, full)), va), ld(hPrev + o, full)), full);
}

export function gruResetGate(xz: usize, hz: usize, hPrev: usize, rows: i32, units: i32, ract: i32, alpha: f64, rh: usize): void {
  const va = f64x2.splat(alpha), ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const gbase = (<usize>(r * 3 * units) << 2) + ub, base = <usize>(r * units) << 2;
    let j = 0;
    for (; j + 4 <= units; j += 4) gruReset(xz, hz, hPrev, ract, va, rh, gbase + (<usize>j << 2), base + (<usize>j << 2), true);
    for (; j < units; j++) gruReset(xz, hz, hPrev, ract, va, rh, gbase + (<usize>j << 2), base + (<usize>j << 2), false);
  }
}

// The reset-before GRU's second backward pass (Backend.gruResetGateBackward); gz: the z block's byte offset.
@inline function gruResetBwd(pre: usize, gates: usize, hPrev: usize, drh: usize, ract: i32, va: v128, dxz: usize, dh: usize, dhzr: usize,
                             gz: usize, o: usize, ub: usize, full: bool): void {
  const d = ld(drh + o, full), rg = ld(gates + gz + ub, full);
  const dpr = bwd(ract, ld(pre + gz + ub, full), rg, f32x4.mul(d, ld(hPrev + o, full)), va);
  st(dxz + gz + ub, dpr, full);
  st(dh + o, f32x4.add(ld(dh + o, full), f32x4.mul(d, rg)), full);
  st(dhzr + gz, ld(dxz + gz, full), full); st(dhzr + gz + ub, dpr, full); st(dhzr + gz + 2 * ub, f32x4.splat(0), full);
}

export function gruResetGateBackward(pre: usize, gates: usize, hPrev: usize, mask: usize, drh: usize, rows: i32, units: i32, ract: i32, alpha: f64,
                                     dxz: usize, dh: usize, dhzr: usize): void {
  const va = f64x2.splat(alpha), ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const gbase = <usize>(r * 3 * units) << 2, base = <usize>(r * units) << 2;
    if (!present(mask, r)) { memory.fill(dhzr + gbase, 0, 3 * ub); continue; }
    let j = 0;
    for (; j + 4 <= units; j += 4) gruResetBwd(pre, gates, hPrev, drh, ract, va, dxz, dh, dhzr, gbase + (<usize>j << 2), base + (<usize>j << 2), ub, true);
    for (; j < units; j++) gruResetBwd(pre, gates, hPrev, drh, ract, va, dxz, dh, dhzr, gbase + (<usize>j << 2), base + (<usize>j << 2), ub, false);
  }
}

// dst row indices[j] += src row j (j < count; rows of `cols` floats): the adjoint of gatherRows.
// A row past dst's `dstLength` floats is skipped (the js reference's writes past the end are no-ops).
export function scatterAddRows(src: usize, cols: i32, indices: usize, count: i32, dst: usize, dstLength: i32): void {
  const cb = <usize>cols << 2;
  for (let j = 0; j < count; j++) {
    const row = <u64>load<u32>(indices + (<usize>j << 2));
    if ((row + 1) * <u64>cols > <u64>dstLength) continue;
    const d = dst + <usize>row * cb, s = src + <usize>j * cb;
    let c = 0;
    for (; c + 4 <= cols; c += 4) { const o = <usize>c << 2; v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o))); }
    for (; c < cols; c++) { const o = <usize>c << 2; store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o)); }
  }
}

// mask[r] = 1 when some x[r, c] differs from `value` (NaN differs from everything), else 0; compared
// in f64 as the js reference does (a value that no f32 equals masks nothing).
export function rowMask(x: usize, rows: i32, cols: i32, value: f64, mask: usize): void {
  for (let r = 0; r < rows; r++) {
    const p = x + (<usize>(r * cols) << 2);
    let any: f32 = 0;
    for (let c = 0; c < cols; c++) if (<f64>load<f32>(p + (<usize>c << 2)) != value) { any = 1; break; }
    store<f32>(mask + (<usize>r << 2), any);
  }
}

// out[r, c] = x[r, c] s[r] (rows x cols); out may alias x.
export function scaleRows(x: usize, s: usize, rows: i32, cols: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const v = load<f32>(s + (<usize>r << 2)), vv = f32x4.splat(v), base = <usize>(r * cols) << 2;
    let c = 0;
    for (; c + 4 <= cols; c += 4) { const o = base + (<usize>c << 2); v128.store(out + o, f32x4.mul(v128.load(x + o), vv)); }
    for (; c < cols; c++) { const o = base + (<usize>c << 2); store<f32>(out + o, load<f32>(x + o) * v); }
  }
}
