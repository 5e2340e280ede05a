// Kernels against scalar references: lengths that are not multiples of 4, pointers that are
// not 16-byte aligned (offset by one float), broadcast strides and transposed operands.
import { unary, binaryRun, unaryScalar, binaryScalar, axpy, fill } from '../../assembly/elementwise';
import { binaryStrided, copyStrided } from '../../assembly/strided';
import { reduce } from '../../assembly/reduce';
import { gemm, gemmPackABytes, gemmPackBBytes } from '../../assembly/matmul';
import { softmax } from '../../assembly/softmax';
import { sgd, adam } from '../../assembly/optim';

const LENGTHS: i32[] = [1, 3, 4, 7, 16, 33];

// A buffer of n floats starting 4 bytes past a 16-byte boundary, filled deterministically.
function buf(n: i32, seed: f32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), Mathf.sin(seed + <f32>i * 0.7) * 2);
  return p;
}
function at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
function close(a: f32, b: f32): bool { return Mathf.abs(a - b) <= 1e-5 * (1 + Mathf.abs(b)); }

describe('unary', () => {
  it('matches the scalar op for every code, length and misaligned pointer', () => {
    for (let op = 0; op <= 18; op++) {
      for (let li = 0; li < LENGTHS.length; li++) {
        const n = LENGTHS[li];
        const x = buf(n, <f32>op);
        // positive inputs for log/sqrt/rsqrt/pow
        if (op == 2 || op == 3 || op == 11 || op == 13) for (let i = 0; i < n; i++) store<f32>(x + (<usize>i << 2), Mathf.abs(at(x, i)) + 0.1);
        const out = buf(n, 0);
        unary(op, x, out, n, 0.3, 0.9);
        for (let i = 0; i < n; i++) expect(close(at(out, i), unaryScalar(op, at(x, i), 0.3, 0.9))).toBe(true);
      }
    }
  });
});

describe('binaryRun', () => {
  it('handles contiguous and scalar-broadcast operands', () => {
    for (let op = 0; op <= 3; op++) {
      for (let li = 0; li < LENGTHS.length; li++) {
        const n = LENGTHS[li];
        const a = buf(n, 1), b = buf(n, 2), out = buf(n, 0);
        for (let i = 0; i < n; i++) store<f32>(b + (<usize>i << 2), at(b, i) + 3); // no division by ~0
        binaryRun(op, a, 1, b, 1, out, n);
        for (let i = 0; i < n; i++) expect(close(at(out, i), binaryScalar(op, at(a, i), at(b, i)))).toBe(true);
        binaryRun(op, a, 1, b, 0, out, n);
        for (let i = 0; i < n; i++) expect(close(at(out, i), binaryScalar(op, at(a, i), at(b, 0)))).toBe(true);
        binaryRun(op, a, 0, b, 1, out, n);
        for (let i = 0; i < n; i++) expect(close(at(out, i), binaryScalar(op, at(a, 0), at(b, i)))).toBe(true);
      }
    }
  });
});

describe('strided', () => {
  it('broadcasts [3,1] with [1,5] and reads a transposed view', () => {
    const meta = heap.alloc(64);
    const a = buf(3, 1), b = buf(5, 2), out = buf(15, 0);
    store<i32>(meta, 3); store<i32>(meta, 5, 4);       // shape
    store<i32>(meta, 1, 8); store<i32>(meta, 0, 12);   // a strides
    store<i32>(meta, 0, 16); store<i32>(meta, 1, 20);  // b strides
    binaryStrided(2, a, b, out, 2, meta);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) expect(close(at(out, i * 5 + j), at(a, i) * at(b, j))).toBe(true);
    // copy the transpose of a 3×5 matrix: shape [5,3], strides [1,5], into a contiguous dst [3,1]
    const src = buf(15, 3), dst = buf(15, 0);
    store<i32>(meta, 5); store<i32>(meta, 3, 4); store<i32>(meta, 1, 8); store<i32>(meta, 5, 12);
    store<i32>(meta, 3, 16); store<i32>(meta, 1, 20);
    copyStrided(src, dst, 2, meta);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) expect(at(dst, i * 3 + j)).toBe(at(src, j * 5 + i));
    // and back into a transposed destination: src contiguous [5,3], dst strides [1,5]
    const back = buf(15, 0);
    store<i32>(meta, 3, 8); store<i32>(meta, 1, 12); store<i32>(meta, 1, 16); store<i32>(meta, 5, 20);
    copyStrided(dst, back, 2, meta);
    for (let k = 0; k < 15; k++) expect(at(back, k)).toBe(at(src, k));
  });
});

describe('reduce', () => {
  it('sums, maxes and argmaxes the middle axis', () => {
    const outer = 2, n = 37, inner = 3;
    const x = buf(outer * n * inner, 5), out = buf(outer * inner, 0);
    for (let op = 0; op <= 3; op++) {
      reduce(op, x, out, outer, n, inner);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
        let s: f32 = 0, m: f32 = -Infinity, mi = 0;
        for (let k = 0; k < n; k++) {
          const v = at(x, (o * n + k) * inner + j);
          s += v; if (v > m) { m = v; mi = k; }
        }
        if (op == 0) expect(close(at(out, o * inner + j), s)).toBe(true);
        if (op == 1) expect(at(out, o * inner + j)).toBe(m);
        if (op == 3) expect(load<i32>(out + (<usize>(o * inner + j) << 2))).toBe(mi);
      }
    }
    reduce(0, x, out, 1, 33, 1);
    let s: f32 = 0;
    for (let k = 0; k < 33; k++) s += at(x, k);
    expect(close(at(out, 0), s)).toBe(true);
  });
});

describe('gemm', () => {
  it('matches the triple loop for every transpose combination and ragged sizes', () => {
    const pa = heap.alloc(gemmPackABytes()), pb = heap.alloc(gemmPackBBytes());
    const sizes: i32[] = [1, 5, 9, 70];
    for (let si = 0; si < sizes.length; si++) {
      const M = sizes[si], N = sizes[(si + 1) % 4] + 3, K = sizes[(si + 2) % 4] + 2;
      const A = buf(M * K, 1), B = buf(K * N, 2), C = buf(M * N, 0);
      for (let ta = 0; ta < 2; ta++) for (let tb = 0; tb < 2; tb++) {
        gemm(M, N, K, A, ta ? M : K, ta == 1, B, tb ? K : N, tb == 1, C, N, false, pa, pb);
        for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
          let s: f32 = 0;
          for (let k = 0; k < K; k++) s += at(A, ta ? k * M + i : i * K + k) * at(B, tb ? j * K + k : k * N + j);
          expect(close(at(C, i * N + j), s)).toBe(true);
        }
      }
      // accumulate onto existing values
      fill(C, M * N, 1);
      gemm(M, N, K, A, K, false, B, N, false, C, N, true, pa, pb);
      let s: f32 = 1;
      for (let k = 0; k < K; k++) s += at(A, k) * at(B, k * N);
      expect(close(at(C, 0), s)).toBe(true);
    }
  });
});

describe('softmax', () => {
  it('rows sum to one and log-softmax is its log', () => {
    const x = buf(2 * 7, 1), y = buf(14, 0), ly = buf(14, 0);
    softmax(x, y, 2, 7, 1, false);
    softmax(x, ly, 2, 7, 1, true);
    for (let r = 0; r < 2; r++) {
      let s: f32 = 0;
      for (let c = 0; c < 7; c++) { s += at(y, r * 7 + c); expect(close(Mathf.log(at(y, r * 7 + c)), at(ly, r * 7 + c))).toBe(true); }
      expect(close(s, 1)).toBe(true);
    }
  });
});

describe('optim', () => {
  it('sgd with momentum and adam follow the scalar formulas', () => {
    const n = 7;
    const p = buf(n, 1), g = buf(n, 2), b = buf(n, 0), p0 = buf(n, 1);
    sgd(p, g, b, n, 0.1, 0.9, 0, 0, false, false, true);
    for (let i = 0; i < n; i++) expect(close(at(p, i), at(p0, i) - 0.1 * at(g, i))).toBe(true);
    const q = buf(n, 3), m = buf(n, 0), v = buf(n, 0), q0 = buf(n, 3);
    fill(m, n, 0); fill(v, n, 0);
    adam(q, g, m, v, 0, n, 0.01, 0.9, 0.999, 1e-8, 0, false, false, false, 0.1, <f32>0.001);
    // the first Adam step moves each weight by lr·sign(g) (m̂ = g, v̂ = g²)
    for (let i = 0; i < n; i++) expect(close(at(q, i), at(q0, i) - 0.01 * (at(g, i) > 0 ? 1 : -1))).toBe(true);
    const q1 = buf(n, 0);
    for (let i = 0; i < n; i++) store<f32>(q1 + (<usize>i << 2), at(q, i));
    axpy(q, g, n, 2);
    for (let i = 0; i < n; i++) expect(close(at(q, i), at(q1, i) + 2 * at(g, i))).toBe(true);
  });
});

describe('copyStrided: broadcast rows', () => {
  test('every row of out is src (source strides [0, 1]), for widths 1 to 9 and several row counts, and nothing past the block is written', () => {
    const meta = heap.alloc(6 * 4);
    for (let cols = 1; cols <= 9; cols++) {
      for (let rows = 0; rows <= 5; rows++) {
        const src = buf(cols, <f32>cols);
        const out = buf(rows * cols + 1, 0.5);
        const guard = at(out, rows * cols);
        store<i32>(meta, rows); store<i32>(meta, cols, 4); store<i32>(meta, 0, 8); store<i32>(meta, 1, 12); store<i32>(meta, cols, 16); store<i32>(meta, 1, 20);
        copyStrided(src, out, 2, meta);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expect(at(out, r * cols + c)).toBe(at(src, c));
        expect(at(out, rows * cols)).toBe(guard);
      }
    }
  });
});

describe('reduce: column sums of narrow rows', () => {
  test('sum over rows of rows × cols for widths 2 to 9 (width 1 is a row sum): the tile path\'s sums bit for bit (f32 over 32-row blocks, the blocks in f64), zero rows give zeros, nothing past the output written', () => {
    for (let cols = 2; cols <= 9; cols++) {
      for (let rows = 0; rows <= 70; rows += 7) {
        const x = buf(rows * cols, <f32>(rows + cols));
        const out = buf(cols + 1, 0.25);
        const guard = at(out, cols);
        reduce(0, x, out, 1, rows, cols);
        for (let c = 0; c < cols; c++) {
          let t: f64 = 0;
          for (let k0 = 0; k0 < rows; k0 += 32) {
            let block: f32 = 0;
            for (let r = k0; r < min(rows, k0 + 32); r++) block += at(x, r * cols + c);
            t += <f64>block;
          }
          expect(at(out, c)).toBe(<f32>t);
        }
        expect(at(out, cols)).toBe(guard);
      }
    }
  });
});
