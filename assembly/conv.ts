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

// dst[i] = src[i] for n floats, four at a time.
@inline function copyRun(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
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
          if (ih < 0 || ih >= H) { memory.fill(dst, 0, owB); continue; }
          if (lo > 0) memory.fill(dst, 0, <usize>lo << 2);
          if (hi < OW) memory.fill(dst + (<usize>hi << 2), 0, <usize>(OW - hi) << 2);
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

/** gW [G·OG, CG·kH·kW] = Σ_n gy[n, g] · im2col(x[n, g])ᵀ (overwritten, zeros when N = 0). */
export function convBackwardWeight(geo: usize, x: usize, gy: usize, gw: usize, col: usize, pa: usize, pb: usize): void {
  const N = par(geo, P_N), G = par(geo, P_G), CG = par(geo, P_CG), OG = par(geo, P_OG);
  const HW = par(geo, P_H) * par(geo, P_W), L = par(geo, P_OH) * par(geo, P_OW);
  const Kd = CG * par(geo, P_KH) * par(geo, P_KW);
  const direct = isPointwise(geo);
  if (N == 0) { memory.fill(gw, 0, <usize>(G * OG) * <usize>Kd << 2); return; }
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      const img = x + (<usize>(n * G + g) * <usize>(CG * HW) << 2);
      const go = gy + (<usize>(n * G + g) * <usize>(OG * L) << 2);
      if (!direct) im2col(geo, img, col);
      gemm(OG, Kd, L, go, L, false, direct ? img : col, L, true,
        gw + (<usize>(g * OG) * <usize>Kd << 2), Kd, n > 0, pa, pb);
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
