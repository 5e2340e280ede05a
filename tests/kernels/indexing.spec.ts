// The indexing kernels (assembly/indexing.ts) against scalar references written here: bounds
// checks at every lane position, strided copies with negative strides and int→float conversion,
// index_select / index_add with repeated indices, gather / scatter along each dim of a 3-D
// block read through transposed strides, and the triangle masks in place and out of place.
// Buffers start 4 bytes past a 16-byte boundary; lengths are not multiples of 4.
import { indexCheck, copyToStrided, indexSelect, indexAdd, gather, scatter, triMask } from '../../assembly/indexing';

function buf(n: i32, seed: f32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), Mathf.sin(seed + <f32>i * 0.7) * 2);
  return p;
}
function ibuf(n: i32): usize { return heap.alloc(<usize>(n + 4) << 2) + 4; }
function at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
function set(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
function iat(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
function iset(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }
function meta(rows: i32[][]): usize {
  const nd = rows[0].length;
  const m = ibuf(rows.length * nd);
  for (let r = 0; r < rows.length; r++) for (let d = 0; d < nd; d++) iset(m, r * nd + d, rows[r][d]);
  return m;
}

describe('indexCheck', () => {
  it('finds the first index outside [0, size) at any position, or returns -1', () => {
    const n = 11;
    const idx = ibuf(n);
    for (let bad = -1; bad < n; bad++) {
      for (let i = 0; i < n; i++) iset(idx, i, i % 5);
      if (bad >= 0) iset(idx, bad, bad % 2 == 0 ? 5 : -1);
      if (bad >= 0 && bad + 2 < n) iset(idx, bad + 2, 7); // a later bad index is not the one reported
      expect<i32>(indexCheck(idx, n, 5)).toBe(bad);
    }
    expect<i32>(indexCheck(idx, 0, 0)).toBe(-1);
  });
});

describe('copyToStrided', () => {
  it('copies a transposed, reversed source into a strided destination', () => {
    // src is a row-major 3x5 block; read it transposed (5x3) with the rows reversed
    const src = buf(15, 1);
    const dst = buf(5 * 4, 0); // destination rows of 4, last column untouched
    for (let i = 0; i < 20; i++) set(dst, i, -9);
    const m = meta([[5, 3], [-1, 5], [4, 1]]);
    copyToStrided(src + (4 << 2), dst, 2, m, 0);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 3; j++) expect<f32>(at(dst, i * 4 + j)).toBe(at(src, j * 5 + (4 - i)));
      expect<f32>(at(dst, i * 4 + 3)).toBe(-9);
    }
  });
  it('reverses an innermost run of any length (the v128 flip path and its tail)', () => {
    for (let n = 1; n <= 13; n++) {
      const src = buf(n * 2, <f32>n), dst = buf(n * 2, 0);
      // two rows, each read backwards from its last element
      copyToStrided(src + (<usize>(n - 1) << 2), dst, 2, meta([[2, n], [n, -1], [n, 1]]), 0);
      for (let r = 0; r < 2; r++) for (let i = 0; i < n; i++) expect<f32>(at(dst, r * n + i)).toBe(at(src, r * n + n - 1 - i));
    }
  });
  it('converts int32 to float32 and copies 0-dim elements', () => {
    const src = ibuf(7), dst = buf(7, 0);
    for (let i = 0; i < 7; i++) iset(src, i, i * 3 - 10);
    copyToStrided(src, dst, 1, meta([[7], [1], [1]]), 1);
    for (let i = 0; i < 7; i++) expect<f32>(at(dst, i)).toBe(<f32>(i * 3 - 10));
    copyToStrided(src + 4, dst, 0, 0, 0);
    expect<i32>(iat(dst, 0)).toBe(-7);
  });
});

describe('indexSelect and indexAdd', () => {
  it('select rows of [outer, n, inner] and add gradients back, repeated indices summed', () => {
    const outer = 2, n = 4, inner = 5, k = 6;
    const src = buf(outer * n * inner, 2), idx = ibuf(k), out = buf(outer * k * inner, 0);
    const picks: i32[] = [3, 0, 3, 1, 3, 2];
    for (let i = 0; i < k; i++) iset(idx, i, picks[i]);
    indexSelect(src, idx, out, outer, n, inner, k);
    for (let o = 0; o < outer; o++) for (let i = 0; i < k; i++) for (let j = 0; j < inner; j++) {
      expect<f32>(at(out, (o * k + i) * inner + j)).toBe(at(src, (o * n + picks[i]) * inner + j));
    }
    const g = buf(outer * k * inner, 3), acc = buf(outer * n * inner, 0);
    for (let i = 0; i < outer * n * inner; i++) set(acc, i, 0);
    indexAdd(g, idx, acc, outer, n, inner, k);
    for (let o = 0; o < outer; o++) for (let r = 0; r < n; r++) for (let j = 0; j < inner; j++) {
      let want: f32 = 0;
      for (let i = 0; i < k; i++) if (picks[i] == r) want += at(g, (o * k + i) * inner + j);
      expect<bool>(Mathf.abs(at(acc, (o * n + r) * inner + j) - want) <= 1e-6).toBe(true);
    }
  });
});

describe('gather and scatter', () => {
  it('gather along each dim of a transposed 3-D source matches the definition', () => {
    // src: a row-major block [4, 3, 5] read through permuted strides as shape [5, 3, 4]
    const src = buf(60, 4);
    const ss: i32[] = [1, 5, 15];
    const is: i32[] = [3, 2, 3]; // the index shape, smaller than the source in every dim
    const limit: i32[] = [5, 3, 4];
    for (let dim = 0; dim < 3; dim++) {
      const n = is[0] * is[1] * is[2];
      const idx = ibuf(n), out = buf(n, 0);
      for (let p = 0; p < n; p++) iset(idx, p, (p * 7 + dim) % limit[dim]);
      gather(src, idx, out, 3, dim, meta([is, ss]));
      for (let a = 0; a < is[0]; a++) for (let b = 0; b < is[1]; b++) for (let c = 0; c < is[2]; c++) {
        const p = (a * is[1] + b) * is[2] + c;
        const co: i32[] = [a, b, c];
        co[dim] = iat(idx, p);
        expect<f32>(at(out, p)).toBe(at(src, co[0] * ss[0] + co[1] * ss[1] + co[2] * ss[2]));
      }
    }
  });
  it('scatter sets, adds (float and int), ors (bool) and writes a value, the last write winning', () => {
    const rows = 3, cols = 4, k = 5;
    const idx = ibuf(rows * k);
    for (let p = 0; p < rows * k; p++) iset(idx, p, (p * 3) % cols);
    const src = buf(rows * 6, 5); // src rows of 6: wider than the index
    for (let mode = 0; mode < 5; mode++) {
      const dst = buf(rows * cols, 6), ref = buf(rows * cols, 6);
      if (mode == 2 || mode == 4) for (let i = 0; i < rows * cols; i++) { iset(dst, i, mode == 4 ? i % 2 : i); iset(ref, i, mode == 4 ? i % 2 : i); }
      const srcI = ibuf(rows * 6);
      for (let i = 0; i < rows * 6; i++) iset(srcI, i, mode == 4 ? (i / 3) % 2 : i * 2 - 7);
      scatter(dst, idx, mode == 2 || mode == 4 ? srcI : src, 2, 1, meta([[rows, k], [cols, 1], [6, 1]]), mode, 42);
      for (let r = 0; r < rows; r++) for (let c = 0; c < k; c++) {
        const t = r * cols + iat(idx, r * k + c);
        if (mode == 0) set(ref, t, at(src, r * 6 + c));
        else if (mode == 1) set(ref, t, at(ref, t) + at(src, r * 6 + c));
        else if (mode == 2) iset(ref, t, iat(ref, t) + iat(srcI, r * 6 + c));
        else if (mode == 4) iset(ref, t, iat(ref, t) | iat(srcI, r * 6 + c));
        else iset(ref, t, 42);
      }
      for (let i = 0; i < rows * cols; i++) expect<i32>(iat(dst, i)).toBe(iat(ref, i));
    }
  });
});

describe('triMask', () => {
  it('keeps j - i <= k (tril) or >= k (triu), in place or not, for every diagonal', () => {
    const batch = 2, rows = 3, cols = 5, n = batch * rows * cols;
    for (let upper = 0; upper < 2; upper++) {
      for (let k = -4; k <= 6; k++) {
        const src = buf(n, <f32>k), out = buf(n, 0), inPlace = buf(n, <f32>k);
        triMask(src, out, batch, rows, cols, k, upper);
        triMask(inPlace, inPlace, batch, rows, cols, k, upper);
        for (let b = 0; b < batch; b++) for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
          const p = (b * rows + i) * cols + j;
          const keep = upper ? j - i >= k : j - i <= k;
          const want: f32 = keep ? at(src, p) : 0;
          expect<f32>(at(out, p)).toBe(want);
          expect<f32>(at(inPlace, p)).toBe(want);
        }
      }
    }
  });
});
