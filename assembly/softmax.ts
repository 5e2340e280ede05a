// Softmax and log-softmax over the middle axis of a contiguous [outer, n, inner] block,
// with the max subtracted first for stability. Backward from the saved output y:
//   softmax:     dx = y · (g − Σ g·y)
//   logSoftmax:  dx = g − e^y · Σ g

import { expNonPositive } from './vexp';

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

// Below this e^x is denormal or 0 in float32: the vector exp's clamp would give ~1e-38 there, so
// such lanes are set to 0 (a masked logit, −∞, must give exactly 0, as in PyTorch).
const UNDERFLOW: f32 = -87.33654;

/**
 * One contiguous row (inner == 1, the usual softmax over the last dim) in v128: max, e^(x − max)
 * and its sum, then the scaling. Returns false, touching nothing, when the row's max is not
 * finite (±∞ or NaN), which the scalar loop handles as before.
 */
function softmaxRow(xr: usize, yr: usize, n: i32, log: bool): bool {
  let m = load<f32>(xr);
  let i = 1;
  if (n >= 8) {
    let m0 = v128.load(xr), m1 = v128.load(xr, 16);
    for (i = 8; i + 8 <= n; i += 8) {
      m0 = f32x4.max(m0, v128.load(at(xr, i)));
      m1 = f32x4.max(m1, v128.load(at(xr, i), 16));
    }
    const mv = f32x4.max(m0, m1);
    m = Mathf.max(Mathf.max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), Mathf.max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  }
  for (; i < n; i++) m = Mathf.max(m, load<f32>(at(xr, i)));
  if (!isFinite(m)) return false;
  const mv = f32x4.splat(m), low = f32x4.splat(UNDERFLOW), zero = f32x4.splat(<f32>0);
  let s0 = zero, s1 = zero;
  i = 0;
  for (; i + 8 <= n; i += 8) {
    const d0 = f32x4.sub(v128.load(at(xr, i)), mv), d1 = f32x4.sub(v128.load(at(xr, i), 16), mv);
    const e0 = v128.bitselect(zero, expNonPositive(d0), f32x4.lt(d0, low));
    const e1 = v128.bitselect(zero, expNonPositive(d1), f32x4.lt(d1, low));
    s0 = f32x4.add(s0, e0); s1 = f32x4.add(s1, e1);
    if (!log) { v128.store(at(yr, i), e0); v128.store(at(yr, i), e1, 16); }
  }
  const sv = f32x4.add(s0, s1);
  let s: f32 = (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
  for (; i < n; i++) {
    const e = Mathf.exp(load<f32>(at(xr, i)) - m);
    s += e;
    if (!log) store<f32>(at(yr, i), e);
  }
  i = 0;
  if (log) {
    // (x − m) − log s, as the scalar loop below (see there)
    const l = Mathf.log(s), ls = f32x4.splat(l);
    for (; i + 4 <= n; i += 4) v128.store(at(yr, i), f32x4.sub(f32x4.sub(v128.load(at(xr, i)), mv), ls));
    for (; i < n; i++) store<f32>(at(yr, i), (load<f32>(at(xr, i)) - m) - l);
  } else {
    const inv: f32 = 1 / s, iv = f32x4.splat(inv);
    for (; i + 4 <= n; i += 4) v128.store(at(yr, i), f32x4.mul(v128.load(at(yr, i)), iv));
    for (; i < n; i++) store<f32>(at(yr, i), load<f32>(at(yr, i)) * inv);
  }
  return true;
}

export function softmax(x: usize, y: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  for (let o = 0; o < outer; o++) {
    if (inner == 1 && n > 0 && softmaxRow(at(x, o * n), at(y, o * n), n, log)) continue;
    for (let j = 0; j < inner; j++) {
      const base = (o * n) * inner + j;
      let m = load<f32>(at(x, base));
      for (let k = 1; k < n; k++) m = Mathf.max(m, load<f32>(at(x, base + k * inner)));
      let s: f32 = 0;
      for (let k = 0; k < n; k++) {
        const e = Mathf.exp(load<f32>(at(x, base + k * inner)) - m);
        s += e;
        if (!log) store<f32>(at(y, base + k * inner), e);
      }
      if (log) {
        // (x − m) − log s, not x − (m + log s): m + log s rounds at m's scale (logits of 1e4
        // lose ~1e-3), while x − m is exact near the max, as PyTorch computes it
        const ls = Mathf.log(s);
        for (let k = 0; k < n; k++) store<f32>(at(y, base + k * inner), (load<f32>(at(x, base + k * inner)) - m) - ls);
      } else {
        const inv: f32 = 1 / s;
        for (let k = 0; k < n; k++) store<f32>(at(y, base + k * inner), load<f32>(at(y, base + k * inner)) * inv);
      }
    }
  }
}

export function softmaxBackward(y: usize, g: usize, dx: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = (o * n) * inner + j;
      let s: f32 = 0;
      for (let k = 0; k < n; k++) {
        const i = base + k * inner;
        s += log ? load<f32>(at(g, i)) : load<f32>(at(g, i)) * load<f32>(at(y, i));
      }
      for (let k = 0; k < n; k++) {
        const i = base + k * inner;
        const yi = load<f32>(at(y, i)), gi = load<f32>(at(g, i));
        store<f32>(at(dx, i), log ? gi - Mathf.exp(yi) * s : yi * (gi - s));
      }
    }
  }
}
