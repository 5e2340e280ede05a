// Unpacked SIMD paths for skinny products, where gemm's packing would cost as much as the math:
// matrix·vector (N == 1), vector·matrix (M == 1) and the rank-1 update (K == 1). Each is one
// of two shapes of loop over a matrix R that is read in place:
//   dots:  out[r] = Σ_k R[r·ld + k] · x[k]   (R's rows are contiguous in k)
//   axpys: out[j] = Σ_k x[k] · R[k·ld + j]   (R's rows are contiguous in j)
// Dot products keep 8 independent accumulators: one chain would wait on the add latency.
// The caller's packing buffer `scratch` holds a strided vector made contiguous; nothing allocates.

// a·b + c: one fused instruction in the relaxed-SIMD build (asconfig target "relaxed").
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// [Σ s0, Σ s1, Σ s2, Σ s3]: four horizontal sums at once (two rounds of pairwise shuffles).
@inline function hsum4(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  const u01 = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), v128.shuffle<f32>(s0, s1, 2, 6, 3, 7));
  const u23 = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 4, 1, 5), v128.shuffle<f32>(s2, s3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(u01, u23, 0, 1, 4, 5), v128.shuffle<f32>(u01, u23, 2, 3, 6, 7));
}

@inline function put(p: usize, v: f32, acc: bool): void {
  store<f32>(p, acc ? load<f32>(p) + v : v);
}

// Four outputs j..j+3 at out + j·os floats.
@inline function put4(out: usize, os: i32, j: i32, v: v128, acc: bool): void {
  if (os == 1) {
    const p = out + (<usize>j << 2);
    v128.store(p, acc ? f32x4.add(v128.load(p), v) : v);
    return;
  }
  const p = out + (<usize>j * <usize>os << 2), s = <usize>os << 2;
  put(p, f32x4.extract_lane(v, 0), acc);
  put(p + s, f32x4.extract_lane(v, 1), acc);
  put(p + 2 * s, f32x4.extract_lane(v, 2), acc);
  put(p + 3 * s, f32x4.extract_lane(v, 3), acc);
}

// x[k·xs] for k < n copied to dst, so dot products can load it four at a time.
function gather(x: usize, xs: i32, n: i32, dst: usize): void {
  const s = <usize>xs << 2;
  for (let k = 0; k < n; k++) store<f32>(dst + (<usize>k << 2), load<f32>(x + <usize>k * s));
}

/** out[r·os] (+)= Σ_k R[r·ld + k] · x[k] for r < rows, k < K; x contiguous. */
function dots(rows: i32, K: i32, R: usize, ld: i32, x: usize, out: usize, os: i32, acc: bool): void {
  const ldb = <usize>ld << 2;
  let r = 0;
  // four rows at a time, two accumulators each (even and odd groups of four k)
  for (; r + 4 <= rows; r += 4) {
    const p0 = R + <usize>r * ldb, p1 = p0 + ldb, p2 = p1 + ldb, p3 = p2 + ldb;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
    let k = 0;
    for (; k + 8 <= K; k += 8) {
      const o = <usize>k << 2;
      const x0 = v128.load(x + o), x1 = v128.load(x + o, 16);
      a0 = madd(v128.load(p0 + o), x0, a0); b0 = madd(v128.load(p0 + o, 16), x1, b0);
      a1 = madd(v128.load(p1 + o), x0, a1); b1 = madd(v128.load(p1 + o, 16), x1, b1);
      a2 = madd(v128.load(p2 + o), x0, a2); b2 = madd(v128.load(p2 + o, 16), x1, b2);
      a3 = madd(v128.load(p3 + o), x0, a3); b3 = madd(v128.load(p3 + o, 16), x1, b3);
    }
    if (k + 4 <= K) {
      const o = <usize>k << 2;
      const x0 = v128.load(x + o);
      a0 = madd(v128.load(p0 + o), x0, a0); a1 = madd(v128.load(p1 + o), x0, a1);
      a2 = madd(v128.load(p2 + o), x0, a2); a3 = madd(v128.load(p3 + o), x0, a3);
      k += 4;
    }
    let s = hsum4(f32x4.add(a0, b0), f32x4.add(a1, b1), f32x4.add(a2, b2), f32x4.add(a3, b3));
    let t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
    for (; k < K; k++) {
      const o = <usize>k << 2, xk = load<f32>(x + o);
      t0 += load<f32>(p0 + o) * xk; t1 += load<f32>(p1 + o) * xk;
      t2 += load<f32>(p2 + o) * xk; t3 += load<f32>(p3 + o) * xk;
    }
    s = f32x4.add(s, f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(t0), 1, t1), 2, t2), 3, t3));
    put4(out, os, r, s, acc);
  }
  // the last rows alone, four accumulators each
  for (; r < rows; r++) {
    const p = R + <usize>r * ldb;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let k = 0;
    for (; k + 16 <= K; k += 16) {
      const o = <usize>k << 2;
      a0 = madd(v128.load(p + o), v128.load(x + o), a0);
      a1 = madd(v128.load(p + o, 16), v128.load(x + o, 16), a1);
      a2 = madd(v128.load(p + o, 32), v128.load(x + o, 32), a2);
      a3 = madd(v128.load(p + o, 48), v128.load(x + o, 48), a3);
    }
    for (; k + 4 <= K; k += 4) {
      const o = <usize>k << 2;
      a0 = madd(v128.load(p + o), v128.load(x + o), a0);
    }
    let t = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
    for (; k < K; k++) t += load<f32>(p + (<usize>k << 2)) * load<f32>(x + (<usize>k << 2));
    put(out + (<usize>r * <usize>os << 2), t, acc);
  }
}

/** out[j·os] (+)= Σ_k x[k·xs] · R[k·ld + j] for j < n, k < K. */
function axpys(n: i32, K: i32, R: usize, ld: i32, x: usize, xs: i32, out: usize, os: i32, acc: bool): void {
  const ldb = <usize>ld << 2, xsb = <usize>xs << 2;
  let j = 0;
  // 32 columns: 8 accumulators, one k per step
  for (; j + 32 <= n; j += 32) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    let p = R + (<usize>j << 2), xp = x;
    for (let k = 0; k < K; k++) {
      const s = v128.load32_splat(xp);
      c0 = madd(s, v128.load(p), c0); c1 = madd(s, v128.load(p, 16), c1);
      c2 = madd(s, v128.load(p, 32), c2); c3 = madd(s, v128.load(p, 48), c3);
      c4 = madd(s, v128.load(p, 64), c4); c5 = madd(s, v128.load(p, 80), c5);
      c6 = madd(s, v128.load(p, 96), c6); c7 = madd(s, v128.load(p, 112), c7);
      p += ldb; xp += xsb;
    }
    put4(out, os, j, c0, acc); put4(out, os, j + 4, c1, acc);
    put4(out, os, j + 8, c2, acc); put4(out, os, j + 12, c3, acc);
    put4(out, os, j + 16, c4, acc); put4(out, os, j + 20, c5, acc);
    put4(out, os, j + 24, c6, acc); put4(out, os, j + 28, c7, acc);
  }
  // 8 columns: two k per step into separate accumulators, so 4 chains
  for (; j + 8 <= n; j += 8) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), d0 = f32x4.splat(0), d1 = f32x4.splat(0);
    let p = R + (<usize>j << 2), xp = x;
    let k = 0;
    for (; k + 2 <= K; k += 2) {
      const s = v128.load32_splat(xp), t = v128.load32_splat(xp + xsb);
      c0 = madd(s, v128.load(p), c0); c1 = madd(s, v128.load(p, 16), c1);
      d0 = madd(t, v128.load(p + ldb), d0); d1 = madd(t, v128.load(p + ldb, 16), d1);
      p += 2 * ldb; xp += 2 * xsb;
    }
    if (k < K) {
      const s = v128.load32_splat(xp);
      c0 = madd(s, v128.load(p), c0); c1 = madd(s, v128.load(p, 16), c1);
    }
    put4(out, os, j, f32x4.add(c0, d0), acc); put4(out, os, j + 4, f32x4.add(c1, d1), acc);
  }
  // 4 columns: four k per step
  for (; j + 4 <= n; j += 4) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let p = R + (<usize>j << 2), xp = x;
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      c0 = madd(v128.load32_splat(xp), v128.load(p), c0);
      c1 = madd(v128.load32_splat(xp + xsb), v128.load(p + ldb), c1);
      c2 = madd(v128.load32_splat(xp + 2 * xsb), v128.load(p + 2 * ldb), c2);
      c3 = madd(v128.load32_splat(xp + 3 * xsb), v128.load(p + 3 * ldb), c3);
      p += 4 * ldb; xp += 4 * xsb;
    }
    for (; k < K; k++) {
      c0 = madd(v128.load32_splat(xp), v128.load(p), c0);
      p += ldb; xp += xsb;
    }
    put4(out, os, j, f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), acc);
  }
  // the last 1–3 columns, scalar
  for (; j < n; j++) {
    let p = R + (<usize>j << 2), xp = x;
    let t0: f32 = 0, t1: f32 = 0;
    let k = 0;
    for (; k + 2 <= K; k += 2) {
      t0 += load<f32>(xp) * load<f32>(p);
      t1 += load<f32>(xp + xsb) * load<f32>(p + ldb);
      p += 2 * ldb; xp += 2 * xsb;
    }
    if (k < K) t0 += load<f32>(xp) * load<f32>(p);
    put(out + (<usize>j * <usize>os << 2), t0 + t1, acc);
  }
}

/** C[i·ldc + j] (+)= a[i·as] · b[j] for i < M, j < N; b contiguous. */
function outer(M: i32, N: i32, a: usize, as: i32, b: usize, C: usize, ldc: i32, acc: bool): void {
  for (let i = 0; i < M; i++) {
    const ai = load<f32>(a + (<usize>i * <usize>as << 2));
    const s = f32x4.splat(ai);
    const row = C + (<usize>i * <usize>ldc << 2);
    let j = 0;
    for (; j + 16 <= N; j += 16) {
      const p = row + (<usize>j << 2), q = b + (<usize>j << 2);
      let v0 = f32x4.mul(s, v128.load(q)), v1 = f32x4.mul(s, v128.load(q, 16));
      let v2 = f32x4.mul(s, v128.load(q, 32)), v3 = f32x4.mul(s, v128.load(q, 48));
      if (acc) {
        v0 = f32x4.add(v128.load(p), v0); v1 = f32x4.add(v128.load(p, 16), v1);
        v2 = f32x4.add(v128.load(p, 32), v2); v3 = f32x4.add(v128.load(p, 48), v3);
      }
      v128.store(p, v0); v128.store(p, v1, 16); v128.store(p, v2, 32); v128.store(p, v3, 48);
    }
    for (; j + 4 <= N; j += 4) {
      const p = row + (<usize>j << 2);
      const v = f32x4.mul(s, v128.load(b + (<usize>j << 2)));
      v128.store(p, acc ? f32x4.add(v128.load(p), v) : v);
    }
    for (; j < N; j++) put(row + (<usize>j << 2), ai * load<f32>(b + (<usize>j << 2)), acc);
  }
}

/**
 * gemm's skinny shapes (same arguments; K > 0): returns false when the shape is not one of them
 * or a strided vector would not fit in `scratch` (scratchFloats floats), and gemm packs instead.
 */
export function gemmSkinny(M: i32, N: i32, K: i32,
                           A: usize, lda: i32, transA: bool,
                           B: usize, ldb: i32, transB: bool,
                           C: usize, ldc: i32, acc: bool,
                           scratch: usize, scratchFloats: i32): bool {
  if (N == 1) {
    // op(B) is a column: B[k·ldb], or row 0 of Bᵀ stored as 1×K
    const bs = transB ? 1 : ldb;
    if (transA) {
      // op(A)ᵀ = A is K×M with rows contiguous in i
      axpys(M, K, A, lda, B, bs, C, ldc, acc);
      return true;
    }
    if (bs != 1) {
      if (K > scratchFloats) return false;
      gather(B, bs, K, scratch);
      B = scratch;
    }
    dots(M, K, A, lda, B, C, ldc, acc);
    return true;
  }
  if (M == 1) {
    // op(A) is a row: A[k], or column 0 of Aᵀ stored as K×1 with stride lda
    const as = transA ? lda : 1;
    if (!transB) {
      axpys(N, K, B, ldb, A, as, C, 1, acc);
      return true;
    }
    if (as != 1) {
      if (K > scratchFloats) return false;
      gather(A, as, K, scratch);
      A = scratch;
    }
    dots(N, K, B, ldb, A, C, 1, acc);
    return true;
  }
  if (K == 1) {
    // op(A) is a column: A[i·lda], or Aᵀ stored as 1×M; op(B) is a row: B[j], or B[j·ldb]
    const bs = transB ? ldb : 1;
    if (bs != 1) {
      if (N > scratchFloats) return false;
      gather(B, bs, N, scratch);
      B = scratch;
    }
    outer(M, N, A, transA ? 1 : lda, B, C, ldc, acc);
    return true;
  }
  return false;
}
