// The normalization and embedding kernels (assembly/norm.ts, assembly/embedding.ts) against scalar
// f64 references written here: rowNorm/rowNormBackward on LayerNorm (L = 1) and GroupNorm (L > 1)
// layouts, batchNorm/batchNormBackward on [N, C] (four channels at a time plus a scalar tail) and
// [N, C, L], training and eval, with and without affine; embeddingBackward with repeats, padding and
// frequency scaling; embeddingRenorm. Sizes reach the v128 bodies, the 256-element blocks and the
// scalar tails. Buffers start 4 bytes past a 16-byte boundary.
import { rowNorm, rowNormBackward, batchNorm, batchNormBackward } from '../../assembly/norm';
import { embeddingBackward, embeddingRenorm } from '../../assembly/embedding';

// values in [offset − 2, offset + 2) from a small LCG (a sine of i·step repeats along strided channels)
function buf(n: i32, seed: f32, offset: f32 = 0): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  let state = <u32>(seed * 1000) * 2654435761 + 12345;
  for (let i = 0; i < n; i++) {
    state = state * 1664525 + 1013904223;
    store<f32>(p + (<usize>i << 2), <f32>(state >> 8) / <f32>16777216 * 4 - 2 + offset);
  }
  return p;
}
function at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
function set(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
function near(got: f64, want: f64, tol: f64): bool { return Math.abs(got - want) <= tol * (1 + Math.abs(want)); }

const HAS_W = 1, HAS_B = 2, TRAINING = 4, UPDATE = 8, NEED_DX = 16, NEED_DW = 32, NEED_DB = 64;

// rows, G, cpr, L
const ROW_SHAPES: i32[] = [3, 1, 5, 1, 2, 1, 300, 1, 4, 2, 3, 7, 2, 3, 2, 1, 1, 1, 37, 1, 6, 3, 1, 9];

describe('rowNorm / rowNormBackward', () => {
  it('normalizes rows and gives the fused gradient (LayerNorm and GroupNorm layouts)', () => {
    for (let s = 0; s < ROW_SHAPES.length; s += 4) {
      const rows = ROW_SHAPES[s], G = ROW_SHAPES[s + 1], cpr = ROW_SHAPES[s + 2], L = ROW_SHAPES[s + 3];
      const n = cpr * L, C = G * cpr;
      const x = buf(rows * n, <f32>s, 3), y = buf(rows * n, 0), w = buf(C, 1.5, 1), b = buf(C, 2.5);
      const mean = buf(rows, 0), rstd = buf(rows, 0), g = buf(rows * n, 4);
      const dx = buf(rows * n, 0), dw = buf(C, 0), db = buf(C, 0);
      rowNorm(x, y, mean, rstd, w, b, rows, G, cpr, L, 1e-5, HAS_W | HAS_B);
      rowNormBackward(x, g, mean, rstd, w, dx, dw, db, rows, G, cpr, L, HAS_W | NEED_DX | NEED_DW | NEED_DB);
      const rdw = new Array<f64>(C).fill(0), rdb = new Array<f64>(C).fill(0);
      for (let r = 0; r < rows; r++) {
        let m: f64 = 0, v: f64 = 0;
        for (let i = 0; i < n; i++) m += <f64>at(x, r * n + i);
        m /= <f64>n;
        for (let i = 0; i < n; i++) { const d = <f64>at(x, r * n + i) - m; v += d * d; }
        const rs = 1 / Math.sqrt(v / <f64>n + 1e-5);
        expect<bool>(near(<f64>at(mean, r), m, 1e-5)).toBe(true, 'mean');
        expect<bool>(near(<f64>at(rstd, r), rs, 1e-4)).toBe(true, 'rstd');
        let sg: f64 = 0, sgh: f64 = 0;
        for (let i = 0; i < n; i++) {
          const c = (r % G) * cpr + i / L;
          const h = (<f64>at(x, r * n + i) - m) * rs;
          expect<bool>(near(<f64>at(y, r * n + i), h * <f64>at(w, c) + <f64>at(b, c), 1e-4)).toBe(true, 'y');
          const gw = <f64>at(g, r * n + i) * <f64>at(w, c);
          sg += gw; sgh += gw * h;
          rdw[c] += <f64>at(g, r * n + i) * h; rdb[c] += <f64>at(g, r * n + i);
        }
        for (let i = 0; i < n; i++) {
          const c = (r % G) * cpr + i / L;
          const h = (<f64>at(x, r * n + i) - m) * rs;
          const want = rs * (<f64>at(g, r * n + i) * <f64>at(w, c) - sg / <f64>n - h * sgh / <f64>n);
          expect<bool>(near(<f64>at(dx, r * n + i), want, 1e-3)).toBe(true, 'dx');
        }
      }
      for (let c = 0; c < C; c++) {
        expect<bool>(near(<f64>at(dw, c), rdw[c], 1e-4)).toBe(true, 'dw');
        expect<bool>(near(<f64>at(db, c), rdb[c], 1e-4)).toBe(true, 'db');
      }
    }
  });
});

// N, C, L
const BN_SHAPES: i32[] = [8, 5, 1, 70, 4, 1, 3, 9, 1, 2, 3, 7, 4, 2, 300, 5, 6, 2, 2, 1, 1, 3, 1030, 1, 40, 7, 1];

describe('batchNorm / batchNormBackward', () => {
  it('normalizes channels, updates the running statistics, gives the fused gradient (training and eval)', () => {
    for (let s = 0; s < BN_SHAPES.length; s += 3) {
      const N = BN_SHAPES[s], C = BN_SHAPES[s + 1], L = BN_SHAPES[s + 2];
      const total = N * C * L, M = N * L;
      for (let mode = 0; mode < 2; mode++) {
        const training = mode == 0;
        if (training && M < 2) continue;
        const x = buf(total, <f32>s * 0.3, 2), y = buf(total, 0), w = buf(C, 1.5, 1), b = buf(C, 2.5);
        const rm = buf(C, 3), rv = buf(C, 0, 3), rm0 = buf(C, 3), rv0 = buf(C, 0, 3);
        const mean = buf(C, 0), rstd = buf(C, 0), g = buf(total, 4);
        const dx = buf(total, 0), dw = buf(C, 0), db = buf(C, 0);
        const flags = HAS_W | HAS_B | (training ? TRAINING | UPDATE : 0);
        batchNorm(x, y, mean, rstd, w, b, rm, rv, N, C, L, 1e-5, 0.1, flags);
        batchNormBackward(x, g, mean, rstd, w, dx, dw, db, N, C, L, HAS_W | (training ? TRAINING : 0) | NEED_DX | NEED_DW | NEED_DB);
        for (let c = 0; c < C; c++) {
          let m: f64 = 0, v: f64 = 0;
          for (let k = 0; k < N; k++) for (let l = 0; l < L; l++) m += <f64>at(x, (k * C + c) * L + l);
          m /= <f64>M;
          for (let k = 0; k < N; k++) for (let l = 0; l < L; l++) { const d = <f64>at(x, (k * C + c) * L + l) - m; v += d * d; }
          v /= <f64>M;
          const um: f64 = training ? m : <f64>at(rm0, c);
          const rs: f64 = 1 / Math.sqrt((training ? v : <f64>at(rv0, c)) + 1e-5);
          if (training) {
            expect<bool>(near(<f64>at(rm, c), 0.9 * <f64>at(rm0, c) + 0.1 * m, 1e-5)).toBe(true, 'running mean');
            expect<bool>(near(<f64>at(rv, c), 0.9 * <f64>at(rv0, c) + 0.1 * v * <f64>M / <f64>(M - 1), 1e-5)).toBe(true, 'running var');
          } else {
            expect<f32>(at(rm, c)).toBe(at(rm0, c), 'eval leaves running mean');
          }
          let sg: f64 = 0, sgh: f64 = 0;
          for (let k = 0; k < N; k++) for (let l = 0; l < L; l++) {
            const i = (k * C + c) * L + l;
            const h = (<f64>at(x, i) - um) * rs;
            expect<bool>(near(<f64>at(y, i), h * <f64>at(w, c) + <f64>at(b, c), 1e-4)).toBe(true, 'y');
            sg += <f64>at(g, i); sgh += <f64>at(g, i) * h;
          }
          expect<bool>(near(<f64>at(dw, c), sgh, 1e-4)).toBe(true, 'dw');
          expect<bool>(near(<f64>at(db, c), sg, 1e-4)).toBe(true, 'db');
          for (let k = 0; k < N; k++) for (let l = 0; l < L; l++) {
            const i = (k * C + c) * L + l;
            const h = (<f64>at(x, i) - um) * rs;
            const want = training
              ? <f64>at(w, c) * rs * (<f64>at(g, i) - sg / <f64>M - h * sgh / <f64>M)
              : <f64>at(w, c) * rs * <f64>at(g, i);
            expect<bool>(near(<f64>at(dx, i), want, 1e-3)).toBe(true, 'dx');
          }
        }
      }
    }
  });
});

describe('embeddingBackward / embeddingRenorm', () => {
  it('accumulates repeated indices, skips the padding row, scales by frequency', () => {
    const V = 6, D = 7, n = 8;
    const idx = heap.alloc(n << 2);
    const ids: i32[] = [1, 4, 1, 0, 5, 1, 4, 2];
    for (let i = 0; i < n; i++) store<i32>(idx + (<usize>i << 2), ids[i]);
    const g = buf(n * D, 1), dw = buf(V * D, 9), counts = heap.alloc(V << 2);
    for (let pass = 0; pass < 2; pass++) {
      embeddingBackward(g, idx, dw, n, D, V, 4, pass == 1 ? counts : 0);
      for (let r = 0; r < V; r++) {
        let cnt = 0;
        for (let i = 0; i < n; i++) if (ids[i] == r) cnt++;
        for (let j = 0; j < D; j++) {
          let want: f64 = 0;
          if (r != 4) for (let i = 0; i < n; i++) if (ids[i] == r) want += <f64>at(g, i * D + j) / (pass == 1 ? <f64>cnt : 1);
          expect<bool>(near(<f64>at(dw, r * D + j), want, 1e-6)).toBe(true, 'dw');
        }
      }
    }
  });
  it('rescales looked-up rows above maxNorm once, leaves the others', () => {
    const V = 5, D = 6, n = 4;
    const idx = heap.alloc(n << 2);
    const ids: i32[] = [3, 0, 3, 1];
    for (let i = 0; i < n; i++) store<i32>(idx + (<usize>i << 2), ids[i]);
    const w = buf(V * D, 2), w0 = buf(V * D, 2), seen = heap.alloc(V << 2);
    set(w, 6, 0.01); set(w0, 6, 0.01);
    for (let j = 0; j < D; j++) { set(w, D + j, 0.01); set(w0, D + j, 0.01); } // row 1 below the bound
    embeddingRenorm(w, idx, n, D, V, 1.5, 2, seen);
    for (let r = 0; r < V; r++) {
      let nrm: f64 = 0;
      for (let j = 0; j < D; j++) nrm += <f64>at(w0, r * D + j) * <f64>at(w0, r * D + j);
      nrm = Math.sqrt(nrm);
      const looked = r == 0 || r == 1 || r == 3;
      const scale: f64 = looked && nrm > 1.5 ? 1.5 / (nrm + 1e-7) : 1;
      for (let j = 0; j < D; j++) expect<bool>(near(<f64>at(w, r * D + j), <f64>at(w0, r * D + j) * scale, 1e-6)).toBe(true, 'renorm');
    }
  });
});
