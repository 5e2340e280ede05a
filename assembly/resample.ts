// Padding by index maps (reflect, replicate, circular) over the last three dims of a contiguous
// [planes, D, H, W] block, and upsampling (nearest, bilinear) over [planes, H, W]; each backward
// beside its forward. Index and weight rules are PyTorch 1.13's CPU kernels, in the same float
// precision. Callers check sizes (pads within what the mode allows, outputs ≥ 1); these kernels
// trust their arguments and never allocate. Constant padding needs no kernel of its own (a fill
// and a strided copy, src/ops/pad.ts).

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

export const PAD_REFLECT: i32 = 1;
export const PAD_REPLICATE: i32 = 2;
export const PAD_CIRCULAR: i32 = 3;

/**
 * The input position read by output position o of a dim of size n padded by (pl, pr).
 * Reflect mirrors without repeating the edge (pads < n), replicate clamps, circular wraps within
 * the input left after negative pads crop it (PyTorch crops first, then wraps).
 */
@inline function source(mode: i32, o: i32, pl: i32, pr: i32, n: i32): i32 {
  if (mode == PAD_CIRCULAR) {
    const lo = max(0, -pl), m = n - lo - max(0, -pr);
    let j = (o - max(pl, 0)) % m;
    if (j < 0) j += m;
    return lo + j;
  }
  let i = o - pl;
  if (mode == PAD_REPLICATE) return i < 0 ? 0 : i >= n ? n - 1 : i;
  if (i < 0) i = -i;
  if (i >= n) i = 2 * (n - 1) - i;
  return i;
}

/** The output columns [c0, c1) that read input columns c0 − pl onward in order (one memory.copy). */
@inline function straightStart(pl: i32, OW: i32): i32 { return min(max(pl, 0), OW); }
@inline function straightEnd(mode: i32, pl: i32, pr: i32, W: i32, OW: i32): i32 {
  // circular with a negative right pad reads straight only up to the cropped edge, as do the others
  return min(OW, pl + W - max(0, -pr) * (mode == PAD_CIRCULAR ? 1 : 0));
}

export function padIndexed(x: usize, out: usize, planes: i32, D: i32, H: i32, W: i32, OD: i32, OH: i32, OW: i32,
                           pdl: i32, pdr: i32, phl: i32, phr: i32, pwl: i32, pwr: i32, mode: i32): void {
  const c0 = straightStart(pwl, OW), c1 = straightEnd(mode, pwl, pwr, W, OW);
  for (let p = 0; p < planes; p++) {
    for (let od = 0; od < OD; od++) {
      const id = source(mode, od, pdl, pdr, D);
      for (let oh = 0; oh < OH; oh++) {
        const ih = source(mode, oh, phl, phr, H);
        const row = at(x, ((p * D + id) * H + ih) * W), orow = at(out, ((p * OD + od) * OH + oh) * OW);
        for (let ow = 0; ow < c0; ow++) store<f32>(at(orow, ow), load<f32>(at(row, source(mode, ow, pwl, pwr, W))));
        if (c1 > c0) memory.copy(at(orow, c0), at(row, c0 - pwl), <usize>(c1 - c0) << 2);
        for (let ow = max(c0, c1); ow < OW; ow++) store<f32>(at(orow, ow), load<f32>(at(row, source(mode, ow, pwl, pwr, W))));
      }
    }
  }
}

/** dx = 0, then each output's gradient added at the input position it read. */
export function padIndexedBackward(g: usize, dx: usize, planes: i32, D: i32, H: i32, W: i32, OD: i32, OH: i32, OW: i32,
                                   pdl: i32, pdr: i32, phl: i32, phr: i32, pwl: i32, pwr: i32, mode: i32): void {
  memory.fill(dx, 0, (<usize>planes * <usize>(D * H * W)) << 2);
  const c0 = straightStart(pwl, OW), c1 = straightEnd(mode, pwl, pwr, W, OW);
  for (let p = 0; p < planes; p++) {
    for (let od = 0; od < OD; od++) {
      const id = source(mode, od, pdl, pdr, D);
      for (let oh = 0; oh < OH; oh++) {
        const ih = source(mode, oh, phl, phr, H);
        const row = at(dx, ((p * D + id) * H + ih) * W), grow = at(g, ((p * OD + od) * OH + oh) * OW);
        for (let ow = 0; ow < c0; ow++) { const a = at(row, source(mode, ow, pwl, pwr, W)); store<f32>(a, load<f32>(a) + load<f32>(at(grow, ow))); }
        let ow = c0;
        const d = row - (<usize>pwl << 2); // dx address of column ow is d + 4·ow on the straight part
        for (; ow + 4 <= c1; ow += 4) {
          const a = d + (<usize>ow << 2);
          v128.store(a, f32x4.add(v128.load(a), v128.load(at(grow, ow))));
        }
        for (; ow < c1; ow++) { const a = d + (<usize>ow << 2); store<f32>(a, load<f32>(a) + load<f32>(at(grow, ow))); }
        for (ow = max(c0, c1); ow < OW; ow++) { const a = at(row, source(mode, ow, pwl, pwr, W)); store<f32>(a, load<f32>(a) + load<f32>(at(grow, ow))); }
      }
    }
  }
}

// ---- nearest ----------------------------------------------------------------------------------

/** PyTorch's compute_scales_value: 1/scale (in f64, then rounded) when a scale was given, else in/out in f32. */
@inline function scaleValue(scale: f64, I: i32, O: i32): f32 {
  return scale > 0 ? <f32>(1.0 / scale) : <f32>I / <f32>O;
}

/**
 * min(floor(o·scale), I − 1) in f32. With `shortcuts`, PyTorch 1.13's nearest_idx first: the same
 * size copies and exactly double halves whatever the scale. PyTorch's channels-last forward
 * kernel and every backward use nearest_idx; its generic forward kernel does not (so a given
 * scale of 1.08 that keeps a size maps rows 0, 0, 1, 2, 3 forward and 0–4 backward there).
 */
@inline function nearestIndex(o: i32, I: i32, O: i32, s: f32, shortcuts: bool): i32 {
  if (shortcuts) {
    if (O == I) return o;
    if (O == 2 * I) return o >> 1;
  }
  return min(<i32>Mathf.floor(<f32>o * s), I - 1);
}

/** out[p, oh, ow] = x[p, nearest(oh), nearest(ow)]; scaleH/scaleW are the user's factors or 0. */
export function upsampleNearest(x: usize, out: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32, scaleH: f64, scaleW: f64,
                                shortcuts: bool): void {
  const sh = scaleValue(scaleH, H, OH), sw = scaleValue(scaleW, W, OW);
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      const row = at(x, (p * H + nearestIndex(oh, H, OH, sh, shortcuts)) * W), orow = at(out, (p * OH + oh) * OW);
      if (OW == 2 * W && (shortcuts || sw == <f32>0.5)) {
        // the common ×2: each input lane written twice, four inputs per v128 step
        let iw = 0;
        for (; iw + 4 <= W; iw += 4) {
          const v = v128.load(at(row, iw));
          v128.store(at(orow, 2 * iw), v128.shuffle<f32>(v, v, 0, 0, 1, 1));
          v128.store(at(orow, 2 * iw + 4), v128.shuffle<f32>(v, v, 2, 2, 3, 3));
        }
        for (; iw < W; iw++) { const v = load<f32>(at(row, iw)); store<f32>(at(orow, 2 * iw), v); store<f32>(at(orow, 2 * iw + 1), v); }
        continue;
      }
      for (let ow = 0; ow < OW; ow++) store<f32>(at(orow, ow), load<f32>(at(row, nearestIndex(ow, W, OW, sw, shortcuts))));
    }
  }
}

/** PyTorch 1.13's backward: nearest_idx (with its shortcuts) for every input layout. */
export function upsampleNearestBackward(g: usize, dx: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32, scaleH: f64, scaleW: f64): void {
  memory.fill(dx, 0, (<usize>planes * <usize>(H * W)) << 2);
  const sh = scaleValue(scaleH, H, OH), sw = scaleValue(scaleW, W, OW);
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      const row = at(dx, (p * H + nearestIndex(oh, H, OH, sh, true)) * W), grow = at(g, (p * OH + oh) * OW);
      for (let ow = 0; ow < OW; ow++) {
        const a = at(row, nearestIndex(ow, W, OW, sw, true));
        store<f32>(a, load<f32>(a) + load<f32>(at(grow, ow)));
      }
    }
  }
}

// ---- bilinear ---------------------------------------------------------------------------------

/** PyTorch's area_pixel_compute_scale in f32. */
@inline function linearRatio(I: i32, O: i32, alignCorners: bool, scale: f64): f32 {
  if (alignCorners) return O > 1 ? <f32>(I - 1) / <f32>(O - 1) : 0;
  return scaleValue(scale, I, O);
}

// The two taps and weights linearTaps found (second results without allocating).
let tap0: i32 = 0, tap1: i32 = 0, lam0: f32 = 1, lam1: f32 = 0;

/**
 * PyTorch 1.13's compute_source_index_and_lambda: same sizes copy; else the source position from
 * the f32 ratio carried in f64 (half-pixel shifted and clamped at 0 without alignCorners), the
 * weight rounded to f32 once. Measured against PyTorch: 8 → 11 rows aligned put row 10 at
 * 6.99999988 (weights 1.2e-7 and 0.99999988 on rows 6 and 7), which an f32 product rounds to 7.
 */
@inline function linearTaps(o: i32, I: i32, O: i32, ratio: f32, alignCorners: bool): void {
  if (O == I) { tap0 = o; tap1 = o; lam0 = 1; lam1 = 0; return; }
  let real: f64;
  if (alignCorners) real = <f64>ratio * <f64>o;
  else {
    real = <f64>ratio * (<f64>o + 0.5) - 0.5;
    if (real < 0) real = 0;
  }
  let i0 = <i32>real;
  if (i0 > I - 1) i0 = I - 1; // unreachable with PyTorch's sizes; keeps every read inside the plane
  tap0 = i0;
  tap1 = i0 + (i0 < I - 1 ? 1 : 0);
  lam1 = <f32>(real - <f64>i0);
  lam0 = <f32>1 - lam1;
}

export function upsampleBilinear(x: usize, out: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32,
                                 alignCorners: bool, scaleH: f64, scaleW: f64): void {
  const rh = linearRatio(H, OH, alignCorners, scaleH), rw = linearRatio(W, OW, alignCorners, scaleW);
  for (let p = 0; p < planes; p++) {
    const xp = at(x, p * H * W);
    for (let oh = 0; oh < OH; oh++) {
      linearTaps(oh, H, OH, rh, alignCorners);
      const r0 = at(xp, tap0 * W), r1 = at(xp, tap1 * W), h0 = lam0, h1 = lam1;
      const orow = at(out, (p * OH + oh) * OW);
      for (let ow = 0; ow < OW; ow++) {
        linearTaps(ow, W, OW, rw, alignCorners);
        // PyTorch's order: each row's pair first, then the rows
        const t0 = load<f32>(at(r0, tap0)) * lam0 + load<f32>(at(r0, tap1)) * lam1;
        const t1 = load<f32>(at(r1, tap0)) * lam0 + load<f32>(at(r1, tap1)) * lam1;
        store<f32>(at(orow, ow), t0 * h0 + t1 * h1);
      }
    }
  }
}

export function upsampleBilinearBackward(g: usize, dx: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32,
                                         alignCorners: bool, scaleH: f64, scaleW: f64): void {
  memory.fill(dx, 0, (<usize>planes * <usize>(H * W)) << 2);
  const rh = linearRatio(H, OH, alignCorners, scaleH), rw = linearRatio(W, OW, alignCorners, scaleW);
  for (let p = 0; p < planes; p++) {
    const dp = at(dx, p * H * W);
    for (let oh = 0; oh < OH; oh++) {
      linearTaps(oh, H, OH, rh, alignCorners);
      const r0 = at(dp, tap0 * W), r1 = at(dp, tap1 * W), h0 = lam0, h1 = lam1;
      const grow = at(g, (p * OH + oh) * OW);
      for (let ow = 0; ow < OW; ow++) {
        linearTaps(ow, W, OW, rw, alignCorners);
        const v = load<f32>(at(grow, ow));
        const a = at(r0, tap0), b = at(r0, tap1), c = at(r1, tap0), d = at(r1, tap1);
        store<f32>(a, load<f32>(a) + h0 * lam0 * v);
        store<f32>(b, load<f32>(b) + h0 * lam1 * v);
        store<f32>(c, load<f32>(c) + h1 * lam0 * v);
        store<f32>(d, load<f32>(d) + h1 * lam1 * v);
      }
    }
  }
}
