// Convolution as GEMM: im2col unfolds each (sample, group) of the image side into a
// [Cg·kH·kW, OH·OW] column matrix that feeds the packed SGEMM (matmul.ts); col2im folds a column
// matrix back, adding overlapping taps. The three products of a convolution and its gradients:
//   forward      y[n,g]  = W[g] · im2col(x[n,g])            (+ bias)
//   input grad   gx[n,g] = col2im(W[g]ᵀ · gy[n,g])
//   weight grad  gW[g]   = Σ_n gy[n,g] · im2col(x[n,g])ᵀ
// A transposed convolution is the same geometry with the roles swapped (its forward is the input
// grad), so the TypeScript side describes both with one parameter block. A 1×1 kernel with unit
// stride and no padding needs no unfolding: the image itself is the column matrix.
// The caller owns every buffer: col (colBytes), and the two GEMM packing buffers.
import { gemm } from './matmul';

// The parameter block (16 i32, written by src/ops/conv.ts): per group, the image side has CG
// channels of H×W, the column side OG channels of OH×OW; pads are the top/left ones (the
// bottom/right ones only shape OH, OW).
const P_N = 0, P_G = 1, P_CG = 2, P_H = 3, P_W = 4, P_OG = 5, P_OH = 6, P_OW = 7;
const P_KH = 8, P_KW = 9, P_SH = 10, P_SW = 11, P_PH = 12, P_PW = 13, P_DH = 14, P_DW = 15;

@inline function par(geo: usize, i: i32): i32 { return load<i32>(geo + (<usize>i << 2)); }

/** Whether the column matrix of one (sample, group) is the image itself (1×1, stride 1, no pad). */
@inline function isPointwise(geo: usize): bool {
  return par(geo, P_KH) == 1 && par(geo, P_KW) == 1 && par(geo, P_SH) == 1 && par(geo, P_SW) == 1
    && par(geo, P_PH) == 0 && par(geo, P_PW) == 0 && par(geo, P_OH) == par(geo, P_H) && par(geo, P_OW) == par(geo, P_W);
}

// The output columns [lo, hi) whose tap ow·s + off lands inside [0, W).
@inline function firstValid(off: i32, s: i32): i32 { return off >= 0 ? 0 : (s - 1 - off) / s; }
@inline function endValid(off: i32, s: i32, W: i32, OW: i32): i32 {
  const last = W - 1 - off;
  return last < 0 ? 0 : min(OW, last / s + 1);
}

// dst[i] = src[i] for n floats, four at a time; a ragged end of a run of at least four is one
// more block of four overlapping the last one (rows of im2col are short: 11 to 32 floats).
@inline function copyRun(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  if (i == n) return;
  if (n >= 4) {
    const e = <usize>(n - 4) << 2;
    v128.store(dst + e, v128.load(src + e));
    return;
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

// dst[i] = 0 for n floats (memory.fill is a call into the engine: too slow for a few floats).
@inline function zeroRun(dst: usize, n: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), z);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

// dst[i] += src[i] for n floats, four at a time.
@inline function addRun(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const d = dst + (<usize>i << 2);
    v128.store(d, f32x4.add(v128.load(d), v128.load(src + (<usize>i << 2))));
  }
  for (; i < n; i++) {
    const d = dst + (<usize>i << 2);
    store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>i << 2)));
  }
}

/** col[(c·kH + i)·kW + j][oh·OW + ow] = img[c][oh·sH − pH + i·dH][ow·sW − pW + j·dW], 0 outside. */
function im2col(geo: usize, img: usize, col: usize): void {
  const CG = par(geo, P_CG), H = par(geo, P_H), W = par(geo, P_W), OH = par(geo, P_OH), OW = par(geo, P_OW);
  const kH = par(geo, P_KH), kW = par(geo, P_KW), sH = par(geo, P_SH), sW = par(geo, P_SW);
  const pH = par(geo, P_PH), pW = par(geo, P_PW), dH = par(geo, P_DH), dW = par(geo, P_DW);
  const owB = <usize>OW << 2;
  let row = col;
  for (let c = 0; c < CG; c++) {
    const plane = img + (<usize>(c * H * W) << 2);
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++) {
        const off = j * dW - pW;
        const lo = min(firstValid(off, sW), OW), hi = max(endValid(off, sW, W, OW), lo);
        for (let oh = 0; oh < OH; oh++) {
          const dst = row + <usize>oh * owB;
          const ih = oh * sH - pH + i * dH;
          if (ih < 0 || ih >= H) { zeroRun(dst, OW); continue; }
          if (lo > 0) zeroRun(dst, lo);
          if (hi < OW) zeroRun(dst + (<usize>hi << 2), OW - hi);
          const src = plane + (<usize>(ih * W) << 2);
          if (sW == 1) {
            copyRun(src + (<usize>(lo + off) << 2), dst + (<usize>lo << 2), hi - lo);
          } else {
            for (let ow = lo; ow < hi; ow++) store<f32>(dst + (<usize>ow << 2), load<f32>(src + (<usize>(ow * sW + off) << 2)));
          }
        }
        row += <usize>OH * owB;
      }
    }
  }
}

/** img[c][ih][iw] += col[...] for every tap of im2col's map (img is not cleared first). */
function col2im(geo: usize, col: usize, img: usize): void {
  const CG = par(geo, P_CG), H = par(geo, P_H), W = par(geo, P_W), OH = par(geo, P_OH), OW = par(geo, P_OW);
  const kH = par(geo, P_KH), kW = par(geo, P_KW), sH = par(geo, P_SH), sW = par(geo, P_SW);
  const pH = par(geo, P_PH), pW = par(geo, P_PW), dH = par(geo, P_DH), dW = par(geo, P_DW);
  const owB = <usize>OW << 2;
  let row = col;
  for (let c = 0; c < CG; c++) {
    const plane = img + (<usize>(c * H * W) << 2);
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++) {
        const off = j * dW - pW;
        const lo = min(firstValid(off, sW), OW), hi = max(endValid(off, sW, W, OW), lo);
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sH - pH + i * dH;
          if (ih < 0 || ih >= H) continue;
          const src = row + <usize>oh * owB;
          const dst = plane + (<usize>(ih * W) << 2);
          if (sW == 1) {
            addRun(src + (<usize>lo << 2), dst + (<usize>(lo + off) << 2), hi - lo);
          } else {
            for (let ow = lo; ow < hi; ow++) {
              const d = dst + (<usize>(ow * sW + off) << 2);
              store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>ow << 2)));
            }
          }
        }
        row += <usize>OH * owB;
      }
    }
  }
}

// Every channel c of `channels` planes of n floats at dst set to bias[c] (or 0 without bias).
function fillChannels(dst: usize, bias: usize, channels: i32, n: i32): void {
  for (let c = 0; c < channels; c++) {
    const p = dst + (<usize>c * <usize>n << 2);
    if (bias == 0) { memory.fill(p, 0, <usize>n << 2); continue; }
    const v = f32x4.splat(load<f32>(bias + (<usize>c << 2)));
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(p + (<usize>i << 2), v);
    for (; i < n; i++) store<f32>(p + (<usize>i << 2), load<f32>(bias + (<usize>c << 2)));
  }
}

/**
 * y [N, G·OG, OH, OW] = W [G·OG, CG·kH·kW] ⋆ x [N, G·CG, H, W] (+ bias [G·OG] when bias ≠ 0).
 * Transposed convolution's input gradient is this with the roles swapped.
 */
export function convForward(geo: usize, x: usize, w: usize, bias: usize, y: usize, col: usize, pa: usize, pb: usize): void {
  const N = par(geo, P_N), G = par(geo, P_G), CG = par(geo, P_CG), OG = par(geo, P_OG);
  const HW = par(geo, P_H) * par(geo, P_W), L = par(geo, P_OH) * par(geo, P_OW);
  const Kd = CG * par(geo, P_KH) * par(geo, P_KW);
  const direct = isPointwise(geo);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      const img = x + (<usize>(n * G + g) * <usize>(CG * HW) << 2);
      const out = y + (<usize>(n * G + g) * <usize>(OG * L) << 2);
      if (bias != 0) fillChannels(out, bias + (<usize>(g * OG) << 2), OG, L);
      if (!direct) im2col(geo, img, col);
      gemm(OG, L, Kd, w + (<usize>(g * OG) * <usize>Kd << 2), Kd, false, direct ? img : col, L, false,
        out, L, bias != 0, pa, pb);
    }
  }
}

/**
 * gx [N, G·CG, H, W] = col2im(W[g]ᵀ · gy[n, g]) with gy [N, G·OG, OH, OW]; gx starts as bias
 * [G·CG] per channel when bias ≠ 0 (a transposed convolution's forward), else as zeros.
 */
export function convBackwardInput(geo: usize, gy: usize, w: usize, bias: usize, gx: usize, col: usize, pa: usize, pb: usize): void {
  const N = par(geo, P_N), G = par(geo, P_G), CG = par(geo, P_CG), OG = par(geo, P_OG);
  const HW = par(geo, P_H) * par(geo, P_W), L = par(geo, P_OH) * par(geo, P_OW);
  const Kd = CG * par(geo, P_KH) * par(geo, P_KW);
  const direct = isPointwise(geo);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      const img = gx + (<usize>(n * G + g) * <usize>(CG * HW) << 2);
      const go = gy + (<usize>(n * G + g) * <usize>(OG * L) << 2);
      const wg = w + (<usize>(g * OG) * <usize>Kd << 2);
      if (direct) {
        if (bias != 0) fillChannels(img, bias + (<usize>(g * CG) << 2), CG, HW);
        gemm(Kd, L, OG, wg, Kd, true, go, L, false, img, L, bias != 0, pa, pb);
        continue;
      }
      fillChannels(img, bias == 0 ? 0 : bias + (<usize>(g * CG) << 2), CG, HW);
      gemm(Kd, L, OG, wg, Kd, true, go, L, false, col, L, false, pa, pb);
      col2im(geo, col, img);
    }
  }
}

/**
 * gW [G·OG, CG·kH·kW] = Σ_n gy[n, g] · im2col(x[n, g])ᵀ (overwritten, zeros when N = 0), its
 * columns k0..k1 only (k1 = 0: all of them): threads split the columns, each summing over every
 * sample in the same order.
 */
export function convBackwardWeight(geo: usize, x: usize, gy: usize, gw: usize, col: usize, pa: usize, pb: usize, k0: i32, k1: i32): void {
  const N = par(geo, P_N), G = par(geo, P_G), CG = par(geo, P_CG), OG = par(geo, P_OG);
  const HW = par(geo, P_H) * par(geo, P_W), L = par(geo, P_OH) * par(geo, P_OW);
  const Kd = CG * par(geo, P_KH) * par(geo, P_KW);
  const direct = isPointwise(geo);
  if (N == 0) { memory.fill(gw, 0, <usize>(G * OG) * <usize>Kd << 2); return; }
  const kEnd = k1 > 0 ? k1 : Kd;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      const img = x + (<usize>(n * G + g) * <usize>(CG * HW) << 2);
      const go = gy + (<usize>(n * G + g) * <usize>(OG * L) << 2);
      if (!direct) im2col(geo, img, col);
      // rows k0..kEnd of the [Kd, L] columns (or of the image, pointwise) are columns k0..kEnd of gW
      gemm(OG, kEnd - k0, L, go, L, false, (direct ? img : col) + (<usize>k0 * <usize>L << 2), L, true,
        gw + ((<usize>(g * OG) * <usize>Kd + <usize>k0) << 2), Kd, n > 0, pa, pb);
    }
  }
}

/** out[c] = Σ_n Σ_l g[n][c][l] for g [N, C, L] (a bias gradient); each row summed in f32x4, rows in f64. */
export function channelSum(g: usize, out: usize, N: i32, C: i32, L: i32): void {
  for (let c = 0; c < C; c++) {
    let total: f64 = 0;
    for (let n = 0; n < N; n++) {
      const p = g + (<usize>(n * C + c) * <usize>L << 2);
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
      let i = 0;
      for (; i + 8 <= L; i += 8) {
        a0 = f32x4.add(a0, v128.load(p + (<usize>i << 2)));
        a1 = f32x4.add(a1, v128.load(p + (<usize>i << 2), 16));
      }
      const a = f32x4.add(a0, a1);
      let s: f64 = <f64>f32x4.extract_lane(a, 0) + <f64>f32x4.extract_lane(a, 1) + <f64>f32x4.extract_lane(a, 2) + <f64>f32x4.extract_lane(a, 3);
      for (; i < L; i++) s += <f64>load<f32>(p + (<usize>i << 2));
      total += s;
    }
    store<f32>(out + (<usize>c << 2), <f32>total);
  }
}

// ---- depthwise: one image channel per group ------------------------------------------------------
// With CG = 1 the GEMM would be a 1-row product per (sample, group) with a 4-row tile mostly empty,
// so these kernels work on rows directly: for each kernel tap, a whole output row is updated
// with one multiply-add per element (four at a time when the width stride is 1).

// a·b + c, fused in the relaxed-SIMD build as matmul.ts's micro-kernel does.
@inline function fma4(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// dst[ow] += v · src[ow·s] for ow in [0, n) (src already offset to the first tap).
@inline function axpyRun(v: f32, src: usize, s: i32, dst: usize, n: i32): void {
  let i = 0;
  if (s == 1) {
    const vv = f32x4.splat(v);
    for (; i + 4 <= n; i += 4) {
      const d = dst + (<usize>i << 2);
      v128.store(d, fma4(vv, v128.load(src + (<usize>i << 2)), v128.load(d)));
    }
  }
  for (; i < n; i++) {
    const d = dst + (<usize>i << 2);
    store<f32>(d, load<f32>(d) + v * load<f32>(src + (<usize>(i * s) << 2)));
  }
}

// dst[ow·s] += v · src[ow] for ow in [0, n) (the scatter form of axpyRun).
@inline function axpyScatter(v: f32, src: usize, dst: usize, s: i32, n: i32): void {
  if (s == 1) { axpyRun(v, src, 1, dst, n); return; }
  for (let i = 0; i < n; i++) {
    const d = dst + (<usize>(i * s) << 2);
    store<f32>(d, load<f32>(d) + v * load<f32>(src + (<usize>i << 2)));
  }
}

// Σ a[ow] · b[ow·s] for ow in [0, n).
@inline function dotRun(a: usize, b: usize, s: i32, n: i32): f32 {
  let i = 0;
  let acc = f32x4.splat(0);
  if (s == 1) {
    for (; i + 4 <= n; i += 4) acc = fma4(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2)), acc);
  }
  let r = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; i < n; i++) r += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>(i * s) << 2));
  return r;
}

/**
 * A stride-1 correlation of one plane: dst[r][c] = (acc ? dst[r][c] : init) + Σ_{i,j} w[i·kW + j] ·
 * src[r + ra + i·rb][c + ca + j·cb] over the taps inside src. Forward: ra = −pH, rb = dH; the input
 * gradient of a stride-1 convolution: ra = pH, rb = −dH. Eight outputs at a time stay in two
 * registers through all the taps where every tap is inside the row.
 */
function corrPlane(src: usize, sH: i32, sW: i32, dst: usize, dH: i32, dW: i32, w: usize, kH: i32, kW: i32,
                   ra: i32, rb: i32, ca: i32, cb: i32, init: f32, acc: bool): void {
  const c0 = ca + min(0, (kW - 1) * cb), c1 = ca + max(0, (kW - 1) * cb);
  // columns whose every tap is inside the row: c + c0 >= 0 and c + c1 < sW
  const lo = min(max(0, -c0), dW), hi = max(min(dW, sW - c1), lo);
  for (let r = 0; r < dH; r++) {
    const drow = dst + (<usize>(r * dW) << 2);
    // interior columns, eight then four at a time; taps alternate between two sets of
    // accumulators so that two add chains run at once
    // (when dst is only written, the last block of eight may overlap the one before it)
    let c = lo;
    while (c + 8 <= hi || (!acc && c < hi && hi - lo >= 8)) {
      if (c + 8 > hi) c = hi - 8;
      const d = drow + (<usize>c << 2);
      let a0 = acc ? v128.load(d) : f32x4.splat(init), a1 = acc ? v128.load(d, 16) : f32x4.splat(init);
      let b0 = f32x4.splat(0), b1 = f32x4.splat(0);
      for (let i = 0; i < kH; i++) {
        const sr = r + ra + i * rb;
        if (sr < 0 || sr >= sH) continue;
        const srow = src + (<usize>(sr * sW + c + ca) << 2);
        const wr = w + (<usize>(i * kW) << 2);
        let j = 0;
        for (; j + 2 <= kW; j += 2) {
          const p = srow + (<usize>(j * cb) << 2), q = p + (<usize>cb << 2);
          const wv = v128.load32_splat(wr + (<usize>j << 2)), wu = v128.load32_splat(wr + (<usize>j << 2), 4);
          a0 = fma4(wv, v128.load(p), a0); a1 = fma4(wv, v128.load(p, 16), a1);
          b0 = fma4(wu, v128.load(q), b0); b1 = fma4(wu, v128.load(q, 16), b1);
        }
        if (j < kW) {
          const p = srow + (<usize>(j * cb) << 2);
          const wv = v128.load32_splat(wr + (<usize>j << 2));
          a0 = fma4(wv, v128.load(p), a0); a1 = fma4(wv, v128.load(p, 16), a1);
        }
      }
      v128.store(d, f32x4.add(a0, b0)); v128.store(d, f32x4.add(a1, b1), 16);
      c += 8;
    }
    for (; c + 4 <= hi; c += 4) {
      const d = drow + (<usize>c << 2);
      let a0 = acc ? v128.load(d) : f32x4.splat(init);
      for (let i = 0; i < kH; i++) {
        const sr = r + ra + i * rb;
        if (sr < 0 || sr >= sH) continue;
        const srow = src + (<usize>(sr * sW + c + ca) << 2);
        const wr = w + (<usize>(i * kW) << 2);
        for (let j = 0; j < kW; j++) a0 = fma4(v128.load32_splat(wr + (<usize>j << 2)), v128.load(srow + (<usize>(j * cb) << 2)), a0);
      }
      v128.store(d, a0);
    }
    // the edges [0, lo) and [c, dW): start them, then add each tap over its valid columns
    if (!acc) {
      for (let e = 0; e < lo; e++) store<f32>(drow + (<usize>e << 2), init);
      for (let e = c; e < dW; e++) store<f32>(drow + (<usize>e << 2), init);
    }
    if (lo == 0 && c == dW) continue;
    for (let i = 0; i < kH; i++) {
      const sr = r + ra + i * rb;
      if (sr < 0 || sr >= sH) continue;
      const srow = src + (<usize>(sr * sW) << 2);
      for (let j = 0; j < kW; j++) {
        const off = ca + j * cb;
        const v = load<f32>(w + (<usize>(i * kW + j) << 2));
        const first = max(0, -off), last = min(dW, sW - off);
        for (let e = first; e < min(last, lo); e++) {
          const d = drow + (<usize>e << 2);
          store<f32>(d, load<f32>(d) + v * load<f32>(srow + (<usize>(e + off) << 2)));
        }
        for (let e = max(first, c); e < last; e++) {
          const d = drow + (<usize>e << 2);
          store<f32>(d, load<f32>(d) + v * load<f32>(srow + (<usize>(e + off) << 2)));
        }
      }
    }
  }
}

/**
 * y [N, G·OG, OH, OW] = depthwise W [G·OG, 1, kH, kW] ⋆ x [N, G, H, W] (+ bias): a convolution
 * with CG = 1. (The parameter block is the GEMM kernels'.)
 */
export function depthwiseForward(geo: usize, x: usize, w: usize, bias: usize, y: usize): void {
  const N = par(geo, P_N), G = par(geo, P_G), OG = par(geo, P_OG);
  const H = par(geo, P_H), W = par(geo, P_W), OH = par(geo, P_OH), OW = par(geo, P_OW);
  const kH = par(geo, P_KH), kW = par(geo, P_KW), sH = par(geo, P_SH), sW = par(geo, P_SW);
  const pH = par(geo, P_PH), pW = par(geo, P_PW), dH = par(geo, P_DH), dW = par(geo, P_DW);
  const KK = kH * kW;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < G * OG; o++) {
      const img = x + (<usize>(n * G + o / OG) * <usize>(H * W) << 2);
      const out = y + (<usize>(n * G * OG + o) * <usize>(OH * OW) << 2);
      const wo = w + (<usize>(o * KK) << 2);
      if (sH == 1 && sW == 1) {
        corrPlane(img, H, W, out, OH, OW, wo, kH, kW, -pH, dH, -pW, dW, bias == 0 ? 0 : load<f32>(bias + (<usize>o << 2)), false);
        continue;
      }
      fillChannels(out, bias == 0 ? 0 : bias + (<usize>o << 2), 1, OH * OW);
      for (let oh = 0; oh < OH; oh++) {
        const row = out + (<usize>(oh * OW) << 2);
        for (let i = 0; i < kH; i++) {
          const ih = oh * sH - pH + i * dH;
          if (ih < 0 || ih >= H) continue;
          const src = img + (<usize>(ih * W) << 2);
          for (let j = 0; j < kW; j++) {
            const off = j * dW - pW;
            const lo = min(firstValid(off, sW), OW), hi = max(endValid(off, sW, W, OW), lo);
            axpyRun(load<f32>(wo + (<usize>(i * kW + j) << 2)), src + (<usize>(lo * sW + off) << 2), sW, row + (<usize>lo << 2), hi - lo);
          }
        }
      }
    }
  }
}

/** gx [N, G, H, W] = the input gradient of depthwiseForward for gy (starting as bias [G] per channel when bias ≠ 0, else zeros). */
export function depthwiseBackwardInput(geo: usize, gy: usize, w: usize, bias: usize, gx: usize): void {
  const N = par(geo, P_N), G = par(geo, P_G), OG = par(geo, P_OG);
  const H = par(geo, P_H), W = par(geo, P_W), OH = par(geo, P_OH), OW = par(geo, P_OW);
  const kH = par(geo, P_KH), kW = par(geo, P_KW), sH = par(geo, P_SH), sW = par(geo, P_SW);
  const pH = par(geo, P_PH), pW = par(geo, P_PW), dH = par(geo, P_DH), dW = par(geo, P_DW);
  const KK = kH * kW;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < G; c++) {
      const img = gx + (<usize>(n * G + c) * <usize>(H * W) << 2);
      if (sH != 1 || sW != 1) fillChannels(img, bias == 0 ? 0 : bias + (<usize>c << 2), 1, H * W);
      for (let m = 0; m < OG; m++) {
        const o = c * OG + m;
        const go = gy + (<usize>(n * G * OG + o) * <usize>(OH * OW) << 2);
        const wo = w + (<usize>(o * KK) << 2);
        if (sH == 1 && sW == 1) {
          // the first output channel of the group writes the plane, the others add to it
          const init: f32 = bias == 0 ? 0 : load<f32>(bias + (<usize>c << 2));
          corrPlane(go, OH, OW, img, H, W, wo, kH, kW, pH, -dH, pW, -dW, init, m > 0);
          continue;
        }
        for (let oh = 0; oh < OH; oh++) {
          const row = go + (<usize>(oh * OW) << 2);
          for (let i = 0; i < kH; i++) {
            const ih = oh * sH - pH + i * dH;
            if (ih < 0 || ih >= H) continue;
            const dst = img + (<usize>(ih * W) << 2);
            for (let j = 0; j < kW; j++) {
              const off = j * dW - pW;
              const lo = min(firstValid(off, sW), OW), hi = max(endValid(off, sW, W, OW), lo);
              axpyScatter(load<f32>(wo + (<usize>(i * kW + j) << 2)), row + (<usize>lo << 2), dst + (<usize>(lo * sW + off) << 2), sW, hi - lo);
            }
          }
        }
      }
    }
  }
}

/** gw [G·OG, 1, kH, kW] = the weight gradient of depthwiseForward: Σ over batch and positions of gy · x at each tap. */
export function depthwiseBackwardWeight(geo: usize, x: usize, gy: usize, gw: usize): void {
  const N = par(geo, P_N), G = par(geo, P_G), OG = par(geo, P_OG);
  const H = par(geo, P_H), W = par(geo, P_W), OH = par(geo, P_OH), OW = par(geo, P_OW);
  const kH = par(geo, P_KH), kW = par(geo, P_KW), sH = par(geo, P_SH), sW = par(geo, P_SW);
  const pH = par(geo, P_PH), pW = par(geo, P_PW), dH = par(geo, P_DH), dW = par(geo, P_DW);
  const KK = kH * kW;
  for (let o = 0; o < G * OG; o++) {
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++) {
        const off = j * dW - pW;
        const lo = min(firstValid(off, sW), OW), hi = max(endValid(off, sW, W, OW), lo);
        let total: f64 = 0;
        for (let n = 0; n < N; n++) {
          const img = x + (<usize>(n * G + o / OG) * <usize>(H * W) << 2);
          const go = gy + (<usize>(n * G * OG + o) * <usize>(OH * OW) << 2);
          let s: f32 = 0;
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * sH - pH + i * dH;
            if (ih < 0 || ih >= H) continue;
            s += dotRun(go + (<usize>(oh * OW + lo) << 2), img + (<usize>(ih * W + lo * sW + off) << 2), sW, hi - lo);
          }
          total += <f64>s;
        }
        store<f32>(gw + (<usize>(o * KK + i * kW + j) << 2), <f32>total);
      }
    }
  }
}
