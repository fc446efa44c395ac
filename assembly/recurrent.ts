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
