// SGEMM, C (M×N, row stride ldc) = op(A)·op(B) (+ C when accumulate), Goto-style:
// blocks of B (KC×NC) and A (MC×KC) are packed into strips the micro-kernel reads in order,
// and a 4×8 register tile (8 v128 accumulators, A broadcast by load32_splat) does the math.
// Transposes are read by the packing routines, so op(A) = Aᵀ or op(B) = Bᵀ costs no copy and
// runs at the plain product's speed; Aᵀ times a narrow op(B) is not packed at all (see gemm).
// The caller owns the two packing buffers.
// Skinny shapes (a vector operand, or K == 1) skip packing: see gemv.ts.
import { gemmSkinny, madd } from './gemv';

export const MR: i32 = 4;
export const NR: i32 = 8;
export const MC: i32 = 64;
export const KC: i32 = 256;
export const NC: i32 = 1024;
// Aᵀ is read in place, not packed, when op(B) has at most this many columns (4 strips of NR)
export const A_IN_PLACE_MAX_N: i32 = 4 * NR;

/** Bytes the packing buffers must hold: [packA, packB]. */
// packA ends with the MR×NR tile where edge tiles are computed in full before their valid part is
// added into C: scratch of the caller's, so threads sharing the memory each have their own.
export function gemmPackABytes(): i32 { return MC * KC * 4 + MR * NR * 4; }
export function gemmPackBBytes(): i32 { return KC * NC * 4; }

// The 4×4 transpose of rows r0..r3 (each 4 consecutive k), stored as 4 k-steps of `stride` bytes.
@inline function storeTransposed4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/**
 * Packs 4 source rows that are contiguous in k (row r at src + r·ld floats) into
 * dst[k·step + r], k in [0, kc): four k at a time through a 4×4 transpose, the rest scalar.
 */
@inline function packRows4(src: usize, ld: i32, kc: i32, dst: usize, step: i32): void {
  const ldb = <usize>ld << 2, st = <usize>step << 2;
  let k = 0;
  for (; k + 4 <= kc; k += 4) {
    const p = src + (<usize>k << 2);
    storeTransposed4(v128.load(p), v128.load(p + ldb), v128.load(p + 2 * ldb), v128.load(p + 3 * ldb), dst + <usize>k * st, st);
  }
  for (; k < kc; k++) {
    const p = src + (<usize>k << 2), d = dst + <usize>k * st;
    for (let r = 0; r < 4; r++) store<f32>(d + (<usize>r << 2), load<f32>(p + <usize>r * ldb));
  }
}

// pa[s][k][r] for strips of MR rows; rows past mc are zero.
function packA(A: usize, lda: i32, transA: bool, i0: i32, mc: i32, k0: i32, kc: i32, pa: usize): void {
  for (let s = 0; s < mc; s += MR) {
    const rows = min(MR, mc - s);
    const strip = pa + (<usize>(s * kc) << 2);
    if (rows == MR) {
      if (transA) {
        // Aᵀ: the MR values for one k are contiguous in memory
        for (let k = 0; k < kc; k++) {
          v128.store(strip + (<usize>(k * MR) << 2), v128.load(A + (<usize>((k0 + k) * lda + i0 + s) << 2)));
        }
      } else {
        packRows4(A + (<usize>((i0 + s) * lda + k0) << 2), lda, kc, strip, MR);
      }
      continue;
    }
    // the last rows: zeros first, then only the valid values (no per-element test)
    memory.fill(strip, 0, <usize>(kc * MR) << 2);
    // loops in the order memory holds A: contiguous reads
    if (transA) {
      for (let k = 0; k < kc; k++) {
        const src = A + (<usize>((k0 + k) * lda + i0 + s) << 2), dst = strip + (<usize>(k * MR) << 2);
        for (let r = 0; r < rows; r++) store<f32>(dst + (<usize>r << 2), load<f32>(src + (<usize>r << 2)));
      }
    } else {
      for (let r = 0; r < rows; r++) {
        const src = A + (<usize>((i0 + s + r) * lda + k0) << 2), dst = strip + (<usize>r << 2);
        for (let k = 0; k < kc; k++) store<f32>(dst + (<usize>(k * MR) << 2), load<f32>(src + (<usize>k << 2)));
      }
    }
  }
}

// pb[s][k][c] for strips of NR columns; columns past nc are zero.
function packB(B: usize, ldb: i32, transB: bool, k0: i32, kc: i32, j0: i32, nc: i32, pb: usize): void {
  for (let s = 0; s < nc; s += NR) {
    const cols = min(NR, nc - s);
    const strip = pb + (<usize>(s * kc) << 2);
    if (cols == NR) {
      if (!transB) {
        for (let k = 0; k < kc; k++) {
          const src = B + (<usize>((k0 + k) * ldb + j0 + s) << 2);
          const dst = strip + (<usize>(k * NR) << 2);
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
        }
      } else {
        // Bᵀ: column j of op(B) is row j of B, contiguous in k; two groups of 4 rows
        const src = B + (<usize>((j0 + s) * ldb + k0) << 2);
        packRows4(src, ldb, kc, strip, NR);
        packRows4(src + (<usize>(4 * ldb) << 2), ldb, kc, strip + 16, NR);
      }
      continue;
    }
    // the last columns: zeros first, then only the valid values
    memory.fill(strip, 0, <usize>(kc * NR) << 2);
    // loops in the order memory holds B: contiguous reads
    if (transB) {
      for (let c = 0; c < cols; c++) {
        const src = B + (<usize>((j0 + s + c) * ldb + k0) << 2), dst = strip + (<usize>c << 2);
        for (let k = 0; k < kc; k++) store<f32>(dst + (<usize>(k * NR) << 2), load<f32>(src + (<usize>k << 2)));
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const src = B + (<usize>((k0 + k) * ldb + j0 + s) << 2), dst = strip + (<usize>(k * NR) << 2);
        for (let c = 0; c < cols; c++) store<f32>(dst + (<usize>c << 2), load<f32>(src + (<usize>c << 2)));
      }
    }
  }
}

// One MR×NR tile: c[r] += Σ_k a_k[r] · pb[k][0..8], the MR values a_k[0..4] contiguous at pa + k·ks
// bytes (packed A: ks = 16; Aᵀ read in place: ks = its row stride).
@inline function microKernel(kc: i32, pa: usize, ks: usize, pb: usize, C: usize, ldc: i32, rows: i32, cols: i32, acc: bool, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // the loop ends on B's pointer: no counter to step (one instruction fewer per k)
  const end = pb + (<usize>(kc * NR) << 2);
  while (pb < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    // each A value is loaded right before its two FMAs: 8 accumulators + 2 B + 1 A = 11 live
    // v128 values, under the ~13 V8 keeps in registers. The relaxed build fuses mul+add.
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += ks;
    pb += NR << 2;
  }
  const ld = <usize>ldc << 2;
  if (rows == MR && cols == NR) {
    if (acc) {
      c00 = f32x4.add(c00, v128.load(C)); c01 = f32x4.add(c01, v128.load(C, 16));
      c10 = f32x4.add(c10, v128.load(C + ld)); c11 = f32x4.add(c11, v128.load(C + ld, 16));
      c20 = f32x4.add(c20, v128.load(C + 2 * ld)); c21 = f32x4.add(c21, v128.load(C + 2 * ld, 16));
      c30 = f32x4.add(c30, v128.load(C + 3 * ld)); c31 = f32x4.add(c31, v128.load(C + 3 * ld, 16));
    }
    v128.store(C, c00); v128.store(C, c01, 16);
    v128.store(C + ld, c10); v128.store(C + ld, c11, 16);
    v128.store(C + 2 * ld, c20); v128.store(C + 2 * ld, c21, 16);
    v128.store(C + 3 * ld, c30); v128.store(C + 3 * ld, c31, 16);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  storeEdge(tile, NR, C, ld, rows, cols, acc);
}

// An edge tile's valid rows × cols (tile rows `stride` floats apart) written, or added, into C.
@inline function storeEdge(tile: usize, stride: i32, C: usize, ld: usize, rows: i32, cols: i32, acc: bool): void {
  for (let r = 0; r < rows; r++) {
    const row = C + <usize>r * ld, src = tile + (<usize>(r * stride) << 2);
    let c = 0;
    // a whole vector where 4 columns are valid, floats after
    if (cols >= 4) {
      const v = v128.load(src);
      v128.store(row, acc ? f32x4.add(v128.load(row), v) : v);
      c = 4;
    }
    for (; c < cols; c++) {
      const dst = row + (<usize>c << 2);
      const v = load<f32>(src + (<usize>c << 2));
      store<f32>(dst, acc ? load<f32>(dst) + v : v);
    }
  }
}

// The last strip when it has at most 4 valid columns (N = 20 leaves 4, N = 10 leaves 2): an MR×4
// tile reads the strip's first 4 packed columns, half the work of the MR×8 tile. Each element is
// summed over k in the same order as microKernel's, so the result is the same to the bit.
@inline function microKernel4(kc: i32, pa: usize, ks: usize, pb: usize, C: usize, ldc: i32, rows: i32, cols: i32, acc: bool, tile: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  const end = pb + (<usize>(kc * NR) << 2);
  while (pb < end) {
    const b = v128.load(pb);
    c0 = madd(v128.load32_splat(pa), b, c0);
    c1 = madd(v128.load32_splat(pa, 4), b, c1);
    c2 = madd(v128.load32_splat(pa, 8), b, c2);
    c3 = madd(v128.load32_splat(pa, 12), b, c3);
    pa += ks;
    pb += NR << 2;
  }
  const ld = <usize>ldc << 2;
  if (rows == MR && cols == 4) {
    if (acc) {
      c0 = f32x4.add(c0, v128.load(C)); c1 = f32x4.add(c1, v128.load(C + ld));
      c2 = f32x4.add(c2, v128.load(C + 2 * ld)); c3 = f32x4.add(c3, v128.load(C + 3 * ld));
    }
    v128.store(C, c0); v128.store(C + ld, c1); v128.store(C + 2 * ld, c2); v128.store(C + 3 * ld, c3);
    return;
  }
  v128.store(tile, c0); v128.store(tile, c1, 16); v128.store(tile, c2, 32); v128.store(tile, c3, 48);
  storeEdge(tile, 4, C, ld, rows, cols, acc);
}

/**
 * C = bias + op(A)·op(B), bias (N floats) starting every row of C: `linear`'s forward in one call.
 * The same arithmetic as copying the bias into C and accumulating onto it, to the bit.
 */
export function gemmBias(M: i32, N: i32, K: i32,
                         A: usize, lda: i32, transA: bool,
                         B: usize, ldb: i32, transB: bool,
                         C: usize, ldc: i32, bias: usize,
                         pa: usize, pb: usize): void {
  // rows of a few floats: a vector loop (memory.copy per row cost as much as the strided copy it replaces)
  const n4 = N & ~3;
  for (let i = 0; i < M; i++) {
    const row = C + (<usize>(i * ldc) << 2);
    let j = 0;
    for (; j < n4; j += 4) v128.store(row + (<usize>j << 2), v128.load(bias + (<usize>j << 2)));
    for (; j < N; j++) store<f32>(row + (<usize>j << 2), load<f32>(bias + (<usize>j << 2)));
  }
  gemm(M, N, K, A, lda, transA, B, ldb, transB, C, ldc, true, pa, pb);
}

export function gemm(M: i32, N: i32, K: i32,
                     A: usize, lda: i32, transA: bool,
                     B: usize, ldb: i32, transB: bool,
                     C: usize, ldc: i32, accumulate: bool,
                     pa: usize, pb: usize): void {
  if (K == 0) {
    if (!accumulate) for (let i = 0; i < M; i++) memory.fill(C + (<usize>(i * ldc) << 2), 0, <usize>N << 2);
    return;
  }
  const tile = pa + (<usize>(MC * KC) << 2);
  // packing a vector costs as much as the product itself
  if (gemmSkinny(M, N, K, A, lda, transA, B, ldb, transB, C, ldc, accumulate, pb, KC * NC)) return;
  // Aᵀ with few column strips to reuse a packed copy: the tiles read A in place, where each k's MR
  // values are contiguous already (the same loads and sums; only a last strip of fewer rows is packed)
  const inPlace = transA && N <= A_IN_PLACE_MAX_N;
  const lda4 = <usize>lda << 2;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const acc = accumulate || pc > 0;
      packB(B, ldb, transB, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        const full = mc & ~(MR - 1);
        if (!inPlace) packA(A, lda, transA, ic, mc, pc, kc, pa);
        else if (full < mc) packA(A, lda, transA, ic + full, mc - full, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pbs = pb + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const Cp = C + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            let a: usize, ks: usize;
            if (!inPlace) { a = pa + (<usize>(ir * kc) << 2); ks = MR << 2; }
            else if (ir < full) { a = A + (<usize>(pc * lda + ic + ir) << 2); ks = lda4; }
            else { a = pa; ks = MR << 2; }
            if (cols <= 4) microKernel4(kc, a, ks, pbs, Cp, ldc, rows, cols, acc, tile);
            else microKernel(kc, a, ks, pbs, Cp, ldc, rows, cols, acc, tile);
          }
        }
      }
    }
  }
}
