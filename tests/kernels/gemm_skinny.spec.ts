// gemm's unpacked skinny paths (N == 1, M == 1, K == 1, assembly/gemv.ts) and the packed path
// beside them, against a float64 triple loop: every transpose pair, accumulate on and off,
// sizes that are not multiples of 4 or 8, leading dimensions wider than the rows, misaligned
// pointers, and zero sizes (C untouched, or zeroed when K == 0 without accumulate).
import { gemm, gemmBias, gemmPackABytes, gemmPackBBytes } from '../../assembly/matmul';

// A buffer of n floats starting 4 bytes past a 16-byte boundary, filled deterministically.
function buf(n: i32, seed: f32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), Mathf.sin(seed + <f32>i * 0.7) * 2);
  return p;
}
function at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }

const SENTINEL: f32 = 12345;

/**
 * Runs gemm on M×N×K with the given flags and padded leading dimensions, compares C with the
 * float64 reference (tolerance relative to Σ|terms|), checks the padding of C is untouched,
 * and returns the number of mismatches.
 */
function check(M: i32, N: i32, K: i32, ta: bool, tb: bool, acc: bool, pad: i32, pa: usize, pb: usize): i32 {
  const lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad, ldc = N + pad;
  const rowsA = ta ? K : M, rowsB = tb ? N : K;
  const A = buf(max(rowsA * lda, 1), 1.3), B = buf(max(rowsB * ldb, 1), 2.1), C = buf(max(M * ldc, 1), 0.4);
  // padding columns of C hold a sentinel the kernel must not overwrite
  for (let i = 0; i < M; i++) for (let j = N; j < ldc; j++) store<f32>(C + (<usize>(i * ldc + j) << 2), SENTINEL);
  const C0 = buf(max(M * ldc, 1), 0);
  memory.copy(C0, C, <usize>(M * ldc) << 2);
  gemm(M, N, K, A, lda, ta, B, ldb, tb, C, ldc, acc, pa, pb);
  let bad = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < ldc; j++) {
      const got = at(C, i * ldc + j);
      if (j >= N) { if (got != SENTINEL) bad++; continue; }
      let s: f64 = acc ? <f64>at(C0, i * ldc + j) : 0;
      let mag: f64 = Math.abs(s);
      for (let k = 0; k < K; k++) {
        const t = <f64>at(A, ta ? k * lda + i : i * lda + k) * <f64>at(B, tb ? j * ldb + k : k * ldb + j);
        s += t; mag += Math.abs(t);
      }
      if (Math.abs(<f64>got - s) > 1e-5 * mag + 1e-30) bad++;
    }
  }
  heap.free(A - 4); heap.free(B - 4); heap.free(C - 4); heap.free(C0 - 4);
  return bad;
}

// Every transpose pair × accumulate × padding 0 and 3, for each (M, N, K).
function sweep(M: i32, N: i32, K: i32, pa: usize, pb: usize): i32 {
  let bad = 0;
  for (let ta = 0; ta < 2; ta++) for (let tb = 0; tb < 2; tb++) for (let ac = 0; ac < 2; ac++) for (let pd = 0; pd < 4; pd += 3) {
    bad += check(M, N, K, ta == 1, tb == 1, ac == 1, pd, pa, pb);
  }
  return bad;
}

const ODD: i32[] = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 37, 64, 100];

const pa = heap.alloc(gemmPackABytes()), pb = heap.alloc(gemmPackBBytes());

describe('gemm skinny paths', () => {
  it('N == 1: matrix · vector', () => {
    for (let a = 0; a < ODD.length; a++) for (let b = 0; b < ODD.length; b += 2) {
      expect(sweep(ODD[a], 1, ODD[b], pa, pb)).toBe(0);
    }
  });

  it('M == 1: row vector · matrix', () => {
    for (let a = 0; a < ODD.length; a++) for (let b = 0; b < ODD.length; b += 2) {
      expect(sweep(1, ODD[a], ODD[b], pa, pb)).toBe(0);
    }
  });

  it('K == 1: outer product (rank-1 update)', () => {
    for (let a = 0; a < ODD.length; a += 2) for (let b = 0; b < ODD.length; b++) {
      expect(sweep(ODD[a], ODD[b], 1, pa, pb)).toBe(0);
    }
  });

  it('the seed step and MLP shapes, and the packed path beside the skinny ones', () => {
    expect(sweep(100, 20, 10, pa, pb)).toBe(0);
    expect(sweep(100, 1, 20, pa, pb)).toBe(0);
    expect(sweep(1, 20, 100, pa, pb)).toBe(0);
    expect(sweep(100, 20, 1, pa, pb)).toBe(0);
    expect(sweep(20, 10, 100, pa, pb)).toBe(0);
    expect(sweep(64, 10, 128, pa, pb)).toBe(0);
    expect(sweep(10, 128, 64, pa, pb)).toBe(0);
    expect(sweep(64, 128, 10, pa, pb)).toBe(0);
    expect(sweep(2, 2, 2, pa, pb)).toBe(0);
    expect(sweep(3, 5, 2, pa, pb)).toBe(0);
    expect(sweep(9, 3, 7, pa, pb)).toBe(0);
    // a long vector: more than one packed K block on the packed path, long dots here
    expect(sweep(3, 1, 700, pa, pb)).toBe(0);
    expect(sweep(1, 37, 300, pa, pb)).toBe(0);
    // Aᵀ read in place (N <= 32) over two K blocks, the second row block ending in 2 rows; and packed (N = 33)
    expect(sweep(70, 20, 300, pa, pb)).toBe(0);
    expect(sweep(6, 32, 260, pa, pb)).toBe(0);
    expect(sweep(67, 33, 260, pa, pb)).toBe(0);
  });

  it('every packed tile, the 4-column last strip included, sums in k order: equal to the bit to the f32 loop', () => {
    // N = 12 and 20 leave a strip of 4 columns, N = 10 and 13 one of 2 and 5; M = 9 a strip of 1 row.
    // Aᵀ is read in place up to N = 32 (A_IN_PLACE_MAX_N), packed above: 70×20×200 and 6×32×250 read
    // it in place (70: a second row block ending in a strip of 2 rows), 67×33×5 packs it. K stays
    // within one K block (KC = 256): across blocks the partial sums are added, not summed in k order.
    const shapes: i32[][] = [[9, 12, 10], [100, 20, 10], [20, 10, 100], [5, 4, 3], [8, 13, 7], [9, 20, 33],
      [70, 20, 200], [6, 32, 250], [67, 33, 5]];
    for (let si = 0; si < shapes.length; si++) {
      const M = shapes[si][0], N = shapes[si][1], K = shapes[si][2];
      for (let ta = 0; ta < 2; ta++) for (let tb = 0; tb < 2; tb++) for (let ac = 0; ac < 2; ac++) {
        const lda = ta ? M : K, ldb = tb ? K : N;
        const A = buf(M * K, 1.3), B = buf(K * N, 2.1), C = buf(M * N, 0.4), C0 = buf(M * N, 0.4);
        gemm(M, N, K, A, lda, ta == 1, B, ldb, tb == 1, C, N, ac == 1, pa, pb);
        let bad = 0;
        for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
          let s: f32 = 0;
          for (let k = 0; k < K; k++) s += at(A, ta ? k * lda + i : i * lda + k) * at(B, tb ? j * ldb + k : k * ldb + j);
          if (ac) s = at(C0, i * N + j) + s;
          if (at(C, i * N + j) != s) bad++;
        }
        expect(bad).toBe(0);
        heap.free(A - 4); heap.free(B - 4); heap.free(C - 4); heap.free(C0 - 4);
      }
    }
  });

  it('gemmBias is the bias copied into every row and the product accumulated onto it, to the bit', () => {
    // packed (100×20×10, 9×13×7), skinny (N == 1, M == 1, K == 1) and K == 0 (C = the bias)
    const shapes: i32[][] = [[100, 20, 10], [9, 13, 7], [100, 1, 20], [1, 20, 100], [100, 20, 1], [5, 3, 0]];
    for (let si = 0; si < shapes.length; si++) {
      const M = shapes[si][0], N = shapes[si][1], K = shapes[si][2];
      for (let tb = 0; tb < 2; tb++) {
        const ldb = tb ? K : N;
        const A = buf(max(M * K, 1), 1.3), B = buf(max(K * N, 1), 2.1), bias = buf(N, 0.7);
        const C = buf(M * N, 5), D = buf(M * N, 6);
        gemmBias(M, N, K, A, K, false, B, ldb, tb == 1, C, N, bias, pa, pb);
        for (let i = 0; i < M; i++) memory.copy(D + (<usize>(i * N) << 2), bias, <usize>N << 2);
        gemm(M, N, K, A, K, false, B, ldb, tb == 1, D, N, true, pa, pb);
        let bad = 0;
        for (let e = 0; e < M * N; e++) if (at(C, e) != at(D, e)) bad++;
        expect(bad).toBe(0);
        // and the sum is right: bias + Σ
        let s: f64 = <f64>at(bias, N - 1);
        for (let k = 0; k < K; k++) s += <f64>at(A, (M - 1) * K + k) * <f64>at(B, tb ? (N - 1) * ldb + k : k * ldb + N - 1);
        expect(Math.abs(<f64>at(C, M * N - 1) - s) < 1e-4).toBe(true);
        heap.free(A - 4); heap.free(B - 4); heap.free(bias - 4); heap.free(C - 4); heap.free(D - 4);
      }
    }
  });

  it('zero sizes write nothing, except K == 0 zeroing C without accumulate', () => {
    for (let ta = 0; ta < 2; ta++) for (let tb = 0; tb < 2; tb++) for (let ac = 0; ac < 2; ac++) {
      expect(check(0, 1, 5, ta == 1, tb == 1, ac == 1, 2, pa, pb)).toBe(0);
      expect(check(1, 0, 5, ta == 1, tb == 1, ac == 1, 2, pa, pb)).toBe(0);
      expect(check(0, 0, 0, ta == 1, tb == 1, ac == 1, 2, pa, pb)).toBe(0);
      expect(check(1, 1, 0, ta == 1, tb == 1, ac == 1, 2, pa, pb)).toBe(0);
      expect(check(7, 1, 0, ta == 1, tb == 1, ac == 1, 2, pa, pb)).toBe(0);
      expect(check(1, 9, 0, ta == 1, tb == 1, ac == 1, 2, pa, pb)).toBe(0);
      expect(check(6, 5, 0, ta == 1, tb == 1, ac == 1, 2, pa, pb)).toBe(0);
      expect(check(0, 5, 1, ta == 1, tb == 1, ac == 1, 2, pa, pb)).toBe(0);
    }
  });
});
