// Pooling over the last two dims of contiguous [planes, H, W] blocks (planes = N·C): max pooling
// with PyTorch's flat per-plane indices, average pooling (countIncludePad, divisorOverride) and
// adaptive average pooling; each backward beside its forward. 1-D pooling is the H = 1 case.
// Callers check every size (output sizes ≥ 1 where PyTorch requires it, padding ≤ half the
// kernel); these kernels trust their arguments and never allocate.

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }
@inline function plane(p: usize, k: i32, size: i32): usize { return p + ((<usize>k * <usize>size) << 2); }

// ---- max pooling ------------------------------------------------------------------------------

// The index maxWindow found (a second return value without allocating).
let bestIndex: i32 = 0;

/**
 * One window as PyTorch's CPU kernel scans it: rows then columns from the first in-bounds tap,
 * the value replaced when strictly greater or NaN (so ties keep the first, NaN the last NaN), the
 * index starting at the first in-bounds tap even when every value is −∞.
 */
function maxWindow(xp: usize, H: i32, W: i32, h0: i32, w0: i32, kH: i32, kW: i32, dH: i32, dW: i32): f32 {
  const h1 = min(h0 + (kH - 1) * dH + 1, H), w1 = min(w0 + (kW - 1) * dW + 1, W);
  while (h0 < 0) h0 += dH;
  while (w0 < 0) w0 += dW;
  let best: f32 = -Infinity, bi = h0 * W + w0;
  for (let ih = h0; ih < h1; ih += dH) {
    for (let iw = w0; iw < w1; iw += dW) {
      const k = ih * W + iw;
      const v = load<f32>(at(xp, k));
      if (v > best || v != v) { best = v; bi = k; }
    }
  }
  bestIndex = bi;
  return best;
}

/** The CNN's hot case, 2×2 windows at stride 2 without padding: four outputs per v128 step. */
function maxPool2x2Plane(xp: usize, op: usize, ip: usize, H: i32, W: i32, OH: i32, OW: i32, wantIdx: bool): void {
  const fullH = min(OH, H >> 1), fullW = min(OW, W >> 1);
  for (let oh = 0; oh < OH; oh++) {
    const orow = oh * OW;
    let ow = 0;
    if (oh < fullH) {
      const r0 = at(xp, 2 * oh * W), r1 = at(xp, (2 * oh + 1) * W);
      let i0 = i32x4(2 * oh * W, 2 * oh * W + 2, 2 * oh * W + 4, 2 * oh * W + 6);
      const one = i32x4.splat(1), down = i32x4.splat(W), eight = i32x4.splat(8);
      for (; ow + 4 <= fullW; ow += 4) {
        const off = <usize>(ow << 3);
        const a0 = v128.load(r0 + off), a1 = v128.load(r0 + off, 16);
        const b0 = v128.load(r1 + off), b1 = v128.load(r1 + off, 16);
        const e0 = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        const o0 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        const e1 = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        const o1 = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        // window order (0,0), (0,1), (1,0), (1,1); strictly greater or NaN replaces, as the scalar scan
        let best = e0;
        const m1 = v128.or(f32x4.gt(o0, best), f32x4.ne(o0, o0));
        best = v128.bitselect(o0, best, m1);
        const m2 = v128.or(f32x4.gt(e1, best), f32x4.ne(e1, e1));
        best = v128.bitselect(e1, best, m2);
        const m3 = v128.or(f32x4.gt(o1, best), f32x4.ne(o1, o1));
        best = v128.bitselect(o1, best, m3);
        v128.store(at(op, orow + ow), best);
        if (wantIdx) {
          let idx = v128.bitselect(i32x4.add(i0, one), i0, m1);
          idx = v128.bitselect(i32x4.add(i0, down), idx, m2);
          idx = v128.bitselect(i32x4.add(i32x4.add(i0, down), one), idx, m3);
          v128.store(at(ip, orow + ow), idx);
        }
        i0 = i32x4.add(i0, eight);
      }
      for (; ow < fullW; ow++) {
        store<f32>(at(op, orow + ow), maxWindow(xp, H, W, 2 * oh, 2 * ow, 2, 2, 1, 1));
        if (wantIdx) store<i32>(at(ip, orow + ow), bestIndex);
      }
    }
    // ceilMode's partial windows on the bottom row and right column
    for (; ow < OW; ow++) {
      store<f32>(at(op, orow + ow), maxWindow(xp, H, W, 2 * oh, 2 * ow, 2, 2, 1, 1));
      if (wantIdx) store<i32>(at(ip, orow + ow), bestIndex);
    }
  }
}

/**
 * out[p, oh, ow] = the max of x[p] over the window at (oh·sH − pH, ow·sW − pW) with kH×kW taps
 * dH, dW apart; idx (when wantIdx) the flat index ih·W + iw of the value picked in its plane.
 */
export function maxPool2d(x: usize, out: usize, idx: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32,
                          kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, wantIdx: bool): void {
  const fast = kH == 2 && kW == 2 && sH == 2 && sW == 2 && pH == 0 && pW == 0 && dH == 1 && dW == 1;
  for (let p = 0; p < planes; p++) {
    const xp = plane(x, p, H * W), op = plane(out, p, OH * OW), ip = plane(idx, p, OH * OW);
    if (fast) { maxPool2x2Plane(xp, op, ip, H, W, OH, OW, wantIdx); continue; }
    for (let oh = 0; oh < OH; oh++) {
      let ow = 0;
      if (sW <= 2) ow = maxRowVector(xp, at(op, oh * OW), at(ip, oh * OW), H, W, OW, oh * sH - pH, kH, kW, sW, pW, dH, dW, wantIdx);
      for (; ow < OW; ow++) {
        const k = oh * OW + ow;
        store<f32>(at(op, k), maxWindow(xp, H, W, oh * sH - pH, ow * sW - pW, kH, kW, dH, dW));
        if (wantIdx) store<i32>(at(ip, k), bestIndex);
      }
    }
  }
}

/**
 * The outputs of one row whose windows lie inside the row's width, four at a time for strides 1
 * and 2 (stride 2 reads eight columns and keeps the even ones), scanning taps in the scalar order
 * with the same replace rule; the outputs before them (left padding) go through maxWindow first.
 * Returns the first output left for the scalar path.
 */
function maxRowVector(xp: usize, orow: usize, irow: usize, H: i32, W: i32, OW: i32, h0: i32, kH: i32, kW: i32,
                      sW: i32, pW: i32, dH: i32, dW: i32, wantIdx: bool): i32 {
  const oh0 = h0; // the window's first row before clipping, for maxWindow
  const h1 = min(h0 + (kH - 1) * dH + 1, H);
  while (h0 < 0) h0 += dH;
  const span = (kW - 1) * dW + (sW == 2 ? 1 : 0);
  const lanes = i32x4(0, sW, 2 * sW, 3 * sW);
  let ow = 0;
  for (; ow < OW && ow * sW - pW < 0; ow++) {
    store<f32>(at(orow, ow), maxWindow(xp, H, W, oh0, ow * sW - pW, kH, kW, dH, dW));
    if (wantIdx) store<i32>(at(irow, ow), bestIndex);
  }
  for (; ow + 4 <= OW; ow += 4) {
    const c0 = ow * sW - pW;
    if (c0 + 3 * sW + span > W - 1) break;
    let best = f32x4.splat(-Infinity);
    let bi = i32x4.add(i32x4.splat(h0 * W + c0), lanes);
    for (let ih = h0; ih < h1; ih += dH) {
      const row = at(xp, ih * W);
      for (let kw = 0; kw < kW; kw++) {
        const c = c0 + kw * dW;
        let v: v128;
        if (sW == 1) v = v128.load(at(row, c));
        else {
          const a = v128.load(at(row, c)), b = v128.load(at(row, c), 16);
          v = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
        }
        const m = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        best = v128.bitselect(v, best, m);
        if (wantIdx) bi = v128.bitselect(i32x4.add(i32x4.splat(ih * W + c), lanes), bi, m);
      }
    }
    v128.store(at(orow, ow), best);
    if (wantIdx) v128.store(at(irow, ow), bi);
  }
  return ow;
}

/**
 * dx = 0, then g added at each output's index in its plane (several outputs may share one input
 * when windows overlap). An index outside the plane (PyTorch's index of a window that holds no
 * input, possible with dilation) receives nothing.
 */
export function maxPool2dBackward(g: usize, idx: usize, dx: usize, planes: i32, inSize: i32, outSize: i32): void {
  memory.fill(dx, 0, (<usize>planes * <usize>inSize) << 2);
  for (let p = 0; p < planes; p++) {
    const gp = plane(g, p, outSize), ip = plane(idx, p, outSize), dp = plane(dx, p, inSize);
    for (let k = 0; k < outSize; k++) {
      const j = load<i32>(at(ip, k));
      if (<u32>j < <u32>inSize) store<f32>(at(dp, j), load<f32>(at(dp, j)) + load<f32>(at(gp, k)));
    }
  }
}

/**
 * maxPool2dBackward for 2×2 windows at stride 2 without padding, where windows do not overlap:
 * each full window writes its four inputs directly (g where the index points, else 0; four
 * windows per v128 step), so dx needs no zeroing pass and no scattered read-modify-write. The
 * odd last column and row (ceilMode's partial windows read only those) are zeroed and scattered.
 */
export function maxPool2x2Backward(g: usize, idx: usize, dx: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32): void {
  const fullH = min(OH, H >> 1), fullW = min(OW, W >> 1);
  const one = i32x4.splat(1), down = i32x4.splat(W), eight = i32x4.splat(8);
  for (let p = 0; p < planes; p++) {
    const gp = plane(g, p, OH * OW), ip = plane(idx, p, OH * OW), dp = plane(dx, p, H * W);
    for (let oh = 0; oh < fullH; oh++) {
      const r0 = at(dp, 2 * oh * W), r1 = at(dp, (2 * oh + 1) * W);
      const gr = at(gp, oh * OW), ir = at(ip, oh * OW);
      let i0 = i32x4(2 * oh * W, 2 * oh * W + 2, 2 * oh * W + 4, 2 * oh * W + 6);
      let ow = 0;
      for (; ow + 4 <= fullW; ow += 4) {
        const gv = v128.load(at(gr, ow)), iv = v128.load(at(ir, ow));
        const v00 = v128.and(gv, i32x4.eq(iv, i0)), v01 = v128.and(gv, i32x4.eq(iv, i32x4.add(i0, one)));
        const v10 = v128.and(gv, i32x4.eq(iv, i32x4.add(i0, down))), v11 = v128.and(gv, i32x4.eq(iv, i32x4.add(i32x4.add(i0, down), one)));
        const off = <usize>(ow << 3);
        v128.store(r0 + off, v128.shuffle<f32>(v00, v01, 0, 4, 1, 5));
        v128.store(r0 + off, v128.shuffle<f32>(v00, v01, 2, 6, 3, 7), 16);
        v128.store(r1 + off, v128.shuffle<f32>(v10, v11, 0, 4, 1, 5));
        v128.store(r1 + off, v128.shuffle<f32>(v10, v11, 2, 6, 3, 7), 16);
        i0 = i32x4.add(i0, eight);
      }
      for (; ow < fullW; ow++) {
        const v = load<f32>(at(gr, ow)), j = load<i32>(at(ir, ow)), k = 2 * oh * W + 2 * ow;
        store<f32>(at(dp, k), j == k ? v : 0);
        store<f32>(at(dp, k + 1), j == k + 1 ? v : 0);
        store<f32>(at(dp, k + W), j == k + W ? v : 0);
        store<f32>(at(dp, k + W + 1), j == k + W + 1 ? v : 0);
      }
      for (let iw = 2 * fullW; iw < W; iw++) { store<f32>(at(r0, iw), 0); store<f32>(at(r1, iw), 0); }
    }
    if (2 * fullH < H) memory.fill(at(dp, 2 * fullH * W), 0, <usize>((H - 2 * fullH) * W) << 2);
    // the partial windows of ceilMode, inside the zeroed last column and row
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = oh < fullH ? fullW : 0; ow < OW; ow++) {
        const j = load<i32>(at(ip, oh * OW + ow));
        if (<u32>j < <u32>(H * W)) store<f32>(at(dp, j), load<f32>(at(dp, j)) + load<f32>(at(gp, oh * OW + ow)));
      }
    }
  }
}

// ---- average pooling --------------------------------------------------------------------------

// The window avgWindow clipped to the input, and its divisor.
let wh0: i32 = 0, wh1: i32 = 0, ww0: i32 = 0, ww1: i32 = 0;

/** PyTorch's avg_pool2d window: the divisor counts padding (countIncludePad) but not the part past it. */
@inline function avgWindow(oh: i32, ow: i32, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
                           countIncludePad: bool, divisorOverride: i32): f32 {
  let h0 = oh * sH - pH, w0 = ow * sW - pW;
  let h1 = min(h0 + kH, H + pH), w1 = min(w0 + kW, W + pW);
  const poolSize = (h1 - h0) * (w1 - w0);
  h0 = max(h0, 0); w0 = max(w0, 0); h1 = min(h1, H); w1 = min(w1, W);
  wh0 = h0; wh1 = h1; ww0 = w0; ww1 = w1;
  if (divisorOverride != 0) return <f32>divisorOverride;
  return <f32>(countIncludePad ? poolSize : (h1 - h0) * (w1 - w0));
}

/**
 * 2×2 windows at stride 2 without padding, four outputs per v128 step on the full windows: the
 * same sum order as the scalar path ((x00 + x01) + x10) + x11 and the same division, so the
 * same bits. Returns how many outputs of the row it wrote.
 */
@inline function avg2x2Row(r0: usize, r1: usize, orow: usize, fullW: i32, div: f32): i32 {
  const vd = f32x4.splat(div), zero = f32x4.splat(0);
  let ow = 0;
  for (; ow + 4 <= fullW; ow += 4) {
    const off = <usize>(ow << 3);
    const a0 = v128.load(r0 + off), a1 = v128.load(r0 + off, 16);
    const b0 = v128.load(r1 + off), b1 = v128.load(r1 + off, 16);
    // from +0 as the scalar sum, so four −0 give +0 there too
    let s = f32x4.add(f32x4.add(zero, v128.shuffle<f32>(a0, a1, 0, 2, 4, 6)), v128.shuffle<f32>(a0, a1, 1, 3, 5, 7));
    s = f32x4.add(s, v128.shuffle<f32>(b0, b1, 0, 2, 4, 6));
    s = f32x4.add(s, v128.shuffle<f32>(b0, b1, 1, 3, 5, 7));
    v128.store(at(orow, ow), f32x4.div(s, vd));
  }
  return ow;
}

export function avgPool2d(x: usize, out: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32, kH: i32, kW: i32,
                          sH: i32, sW: i32, pH: i32, pW: i32, countIncludePad: bool, divisorOverride: i32): void {
  const fast = kH == 2 && kW == 2 && sH == 2 && sW == 2 && pH == 0 && pW == 0;
  const fastDiv: f32 = divisorOverride != 0 ? <f32>divisorOverride : 4;
  for (let p = 0; p < planes; p++) {
    const xp = plane(x, p, H * W), op = plane(out, p, OH * OW);
    for (let oh = 0; oh < OH; oh++) {
      let ow = 0;
      if (fast && 2 * oh + 1 < H) ow = avg2x2Row(at(xp, 2 * oh * W), at(xp, (2 * oh + 1) * W), at(op, oh * OW), min(OW, W >> 1), fastDiv);
      for (; ow < OW; ow++) {
        const div = avgWindow(oh, ow, H, W, kH, kW, sH, sW, pH, pW, countIncludePad, divisorOverride);
        let s: f32 = 0;
        if (wh0 < wh1 && ww0 < ww1) {
          for (let ih = wh0; ih < wh1; ih++) for (let iw = ww0; iw < ww1; iw++) s += load<f32>(at(xp, ih * W + iw));
          s /= div;
        }
        store<f32>(at(op, oh * OW + ow), s);
      }
    }
  }
}

export function avgPool2dBackward(g: usize, dx: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32, kH: i32, kW: i32,
                                  sH: i32, sW: i32, pH: i32, pW: i32, countIncludePad: bool, divisorOverride: i32): void {
  memory.fill(dx, 0, (<usize>planes * <usize>(H * W)) << 2);
  for (let p = 0; p < planes; p++) {
    const gp = plane(g, p, OH * OW), dp = plane(dx, p, H * W);
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const div = avgWindow(oh, ow, H, W, kH, kW, sH, sW, pH, pW, countIncludePad, divisorOverride);
        const v = load<f32>(at(gp, oh * OW + ow)) / div;
        for (let ih = wh0; ih < wh1; ih++) {
          for (let iw = ww0; iw < ww1; iw++) { const a = at(dp, ih * W + iw); store<f32>(a, load<f32>(a) + v); }
        }
      }
    }
  }
}

// ---- adaptive average pooling -----------------------------------------------------------------

// PyTorch computes the bounds in float: floor(o·I / O) and ceil((o + 1)·I / O).
@inline function startIndex(o: i32, O: i32, I: i32): i32 { return <i32>Mathf.floor(<f32>(o * I) / <f32>O); }
@inline function endIndex(o: i32, O: i32, I: i32): i32 { return <i32>Mathf.ceil(<f32>((o + 1) * I) / <f32>O); }

export function adaptiveAvgPool2d(x: usize, out: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32): void {
  for (let p = 0; p < planes; p++) {
    const xp = plane(x, p, H * W), op = plane(out, p, OH * OW);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = startIndex(oh, OH, H), h1 = endIndex(oh, OH, H);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = startIndex(ow, OW, W), w1 = endIndex(ow, OW, W);
        let s: f32 = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s += load<f32>(at(xp, ih * W + iw));
        store<f32>(at(op, oh * OW + ow), s / <f32>((h1 - h0) * (w1 - w0)));
      }
    }
  }
}

export function adaptiveAvgPool2dBackward(g: usize, dx: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32): void {
  memory.fill(dx, 0, (<usize>planes * <usize>(H * W)) << 2);
  for (let p = 0; p < planes; p++) {
    const gp = plane(g, p, OH * OW), dp = plane(dx, p, H * W);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = startIndex(oh, OH, H), h1 = endIndex(oh, OH, H);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = startIndex(ow, OW, W), w1 = endIndex(ow, OW, W);
        const v = load<f32>(at(gp, oh * OW + ow)) / <f32>((h1 - h0) * (w1 - w0));
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) { const a = at(dp, ih * W + iw); store<f32>(a, load<f32>(a) + v); }
        }
      }
    }
  }
}
