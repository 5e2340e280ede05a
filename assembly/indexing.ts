// Indexing and joining: bounds checks of int32 index data, strided copies into strided
// destinations (cat, the gradients of narrow/select/split), index_select and its scatter-add
// gradient, gather / scatter / scatter_add along one dim, and the triangular masks of
// tril/triu. Elements are 4 bytes of any type (float32, int32, bool) unless a mode says
// otherwise. Shapes and strides (in elements) come through a small i32 block `meta` written by
// the caller, one row of nd entries each. Callers validate shapes and check indices with
// indexCheck before any write; these kernels trust their arguments and never allocate.

const MAX_DIMS = 16;
const counter = memory.data(MAX_DIMS * 4); // odometer over the outer dims; static, not allocated

@inline function dimAt(meta: usize, row: i32, nd: i32, d: i32): i32 {
  return load<i32>(meta + (<usize>(row * nd + d) << 2));
}
@inline function addr(base: usize, elems: i32): usize {
  return base + (<usize>elems << 2);
}

/**
 * The position of the first index outside [0, size), or −1 when all n are in range. v128 over
 * four indices at a time; the exact position is found by a scalar pass over the failing lane group.
 */
export function indexCheck(idx: usize, n: i32, size: i32): i32 {
  const lo = i32x4.splat(0), hi = i32x4.splat(size);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(addr(idx, i));
    if (v128.any_true(v128.or(i32x4.lt_s(v, lo), i32x4.ge_s(v, hi)))) break;
  }
  for (; i < n; i++) {
    const k = load<i32>(addr(idx, i));
    if (k < 0 || k >= size) return i;
  }
  return -1;
}

export const COPY_BITS: i32 = 0;     // 4-byte elements copied as they are
export const COPY_I32_F32: i32 = 1;  // int32 (or bool) read, float32 written: cat's type promotion

/** dst (strides meta row 2) = src (strides row 1), both of shape meta row 0. */
export function copyToStrided(src: usize, dst: usize, nd: i32, meta: usize, mode: i32): void {
  if (nd == 0) {
    if (mode == COPY_I32_F32) store<f32>(dst, <f32>load<i32>(src));
    else store<u32>(dst, load<u32>(src));
    return;
  }
  const last = nd - 1;
  const n = dimAt(meta, 0, nd, last);
  const ss = dimAt(meta, 1, nd, last), sd = dimAt(meta, 2, nd, last);
  let outer = 1;
  for (let d = 0; d < last; d++) { outer *= dimAt(meta, 0, nd, d); store<i32>(counter + (<usize>d << 2), 0); }
  if (outer == 0 || n == 0) return;
  let ps = src, pd = dst;
  for (let r = 0; r < outer; r++) {
    if (mode == COPY_I32_F32) {
      for (let i = 0; i < n; i++) store<f32>(addr(pd, i * sd), <f32>load<i32>(addr(ps, i * ss)));
    } else if (ss == 1 && sd == 1) {
      memory.copy(pd, ps, <usize>n << 2);
    } else if (ss == -1 && sd == 1) {
      // flip of the innermost dim: four elements at a time, lanes reversed
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const v = v128.load(addr(ps, -i - 3));
        v128.store(addr(pd, i), i8x16.shuffle(v, v, 12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3));
      }
      for (; i < n; i++) store<u32>(addr(pd, i), load<u32>(addr(ps, -i)));
    } else {
      for (let i = 0; i < n; i++) store<u32>(addr(pd, i * sd), load<u32>(addr(ps, i * ss)));
    }
    for (let d = last - 1; d >= 0; d--) {
      const c = load<i32>(counter + (<usize>d << 2)) + 1;
      const size = dimAt(meta, 0, nd, d);
      const ds = dimAt(meta, 1, nd, d), dd = dimAt(meta, 2, nd, d);
      if (c < size) { store<i32>(counter + (<usize>d << 2), c); ps = addr(ps, ds); pd = addr(pd, dd); break; }
      store<i32>(counter + (<usize>d << 2), 0);
      ps = addr(ps, -ds * (size - 1)); pd = addr(pd, -dd * (size - 1));
    }
  }
}

/** out[o, k, :] = src[o, idx[k], :] for contiguous src [outer, nSrc, inner] and out [outer, nIdx, inner]. */
export function indexSelect(src: usize, idx: usize, out: usize, outer: i32, nSrc: i32, inner: i32, nIdx: i32): void {
  const row = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const sb = addr(src, o * nSrc * inner), ob = addr(out, o * nIdx * inner);
    for (let k = 0; k < nIdx; k++) {
      memory.copy(ob + <usize>k * row, sb + <usize>load<i32>(addr(idx, k)) * row, row);
    }
  }
}

/** out[o, idx[k], :] += g[o, k, :] (float32): index_select's gradient, repeated indices summed. */
export function indexAdd(g: usize, idx: usize, out: usize, outer: i32, nOut: i32, inner: i32, nIdx: i32): void {
  for (let o = 0; o < outer; o++) {
    const gb = addr(g, o * nIdx * inner), ob = addr(out, o * nOut * inner);
    for (let k = 0; k < nIdx; k++) {
      const gr = addr(gb, k * inner), orow = addr(ob, load<i32>(addr(idx, k)) * inner);
      let j = 0;
      for (; j + 4 <= inner; j += 4) {
        const p = <usize>j << 2;
        v128.store(orow + p, f32x4.add(v128.load(orow + p), v128.load(gr + p)));
      }
      for (; j < inner; j++) {
        const p = <usize>j << 2;
        store<f32>(orow + p, load<f32>(orow + p) + load<f32>(gr + p));
      }
    }
  }
}

/**
 * out[p] = src[p with coordinate `dim` replaced by idx[p]] over the contiguous index (and out)
 * of shape meta row 0; src read with strides meta row 1.
 */
export function gather(src: usize, idx: usize, out: usize, nd: i32, dim: i32, meta: usize): void {
  const last = nd - 1;
  const n = dimAt(meta, 0, nd, last);
  const sLast = dim == last ? 0 : dimAt(meta, 1, nd, last);
  const sDim = dimAt(meta, 1, nd, dim);
  let outer = 1;
  for (let d = 0; d < last; d++) { outer *= dimAt(meta, 0, nd, d); store<i32>(counter + (<usize>d << 2), 0); }
  if (outer == 0 || n == 0) return;
  let base = 0; // src offset of the row, without the dim's coordinate
  let pi = idx, po = out;
  for (let r = 0; r < outer; r++) {
    for (let i = 0; i < n; i++) {
      const k = load<i32>(addr(pi, i));
      store<u32>(addr(po, i), load<u32>(addr(src, base + i * sLast + k * sDim)));
    }
    pi = addr(pi, n); po = addr(po, n);
    for (let d = last - 1; d >= 0; d--) {
      const c = load<i32>(counter + (<usize>d << 2)) + 1;
      const size = dimAt(meta, 0, nd, d);
      const s = d == dim ? 0 : dimAt(meta, 1, nd, d);
      if (c < size) { store<i32>(counter + (<usize>d << 2), c); base += s; break; }
      store<i32>(counter + (<usize>d << 2), 0);
      base -= s * (size - 1);
    }
  }
}

export const SCATTER_SET: i32 = 0;      // dst[..] = src[p] (4-byte copy; the last write wins)
export const SCATTER_ADD_F32: i32 = 1;  // dst[..] += src[p], float32
export const SCATTER_ADD_I32: i32 = 2;  // dst[..] += src[p], int32
export const SCATTER_VALUE: i32 = 3;    // dst[..] = value (its 4 bytes, as given)
export const SCATTER_OR: i32 = 4;       // dst[..] |= src[p]: bool "addition" (0/1 words)

/**
 * For every p of the contiguous index of shape meta row 0: dst[p with coordinate `dim` replaced
 * by idx[p]] (dst strides meta row 1) receives src[p] (src strides meta row 2) by `mode`.
 */
export function scatter(dst: usize, idx: usize, src: usize, nd: i32, dim: i32, meta: usize, mode: i32, value: i32): void {
  const last = nd - 1;
  const n = dimAt(meta, 0, nd, last);
  const dLast = dim == last ? 0 : dimAt(meta, 1, nd, last);
  const dDim = dimAt(meta, 1, nd, dim);
  const sLast = dimAt(meta, 2, nd, last);
  let outer = 1;
  for (let d = 0; d < last; d++) { outer *= dimAt(meta, 0, nd, d); store<i32>(counter + (<usize>d << 2), 0); }
  if (outer == 0 || n == 0) return;
  let dbase = 0, sbase = 0;
  let pi = idx;
  for (let r = 0; r < outer; r++) {
    for (let i = 0; i < n; i++) {
      const k = load<i32>(addr(pi, i));
      const pd = addr(dst, dbase + i * dLast + k * dDim);
      const ps = addr(src, sbase + i * sLast);
      if (mode == SCATTER_SET) store<u32>(pd, load<u32>(ps));
      else if (mode == SCATTER_ADD_F32) store<f32>(pd, load<f32>(pd) + load<f32>(ps));
      else if (mode == SCATTER_ADD_I32) store<i32>(pd, load<i32>(pd) + load<i32>(ps));
      else if (mode == SCATTER_OR) store<i32>(pd, load<i32>(pd) | load<i32>(ps));
      else store<i32>(pd, value);
    }
    pi = addr(pi, n);
    for (let d = last - 1; d >= 0; d--) {
      const c = load<i32>(counter + (<usize>d << 2)) + 1;
      const size = dimAt(meta, 0, nd, d);
      const ds = d == dim ? 0 : dimAt(meta, 1, nd, d);
      const ss = dimAt(meta, 2, nd, d);
      if (c < size) { store<i32>(counter + (<usize>d << 2), c); dbase += ds; sbase += ss; break; }
      store<i32>(counter + (<usize>d << 2), 0);
      dbase -= ds * (size - 1); sbase -= ss * (size - 1);
    }
  }
}

/**
 * out = src with the elements off the triangle zeroed, for contiguous [batch, rows, cols]:
 * tril keeps j − i ≤ k, triu (upper = 1) keeps j − i ≥ k. src and out may be the same block.
 */
export function triMask(src: usize, out: usize, batch: i32, rows: i32, cols: i32, k: i32, upper: i32): void {
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows; i++) {
      const off = (b * rows + i) * cols;
      const ps = addr(src, off), po = addr(out, off);
      // the kept columns are [0, cut) for tril and [cut, cols) for triu
      let cut = upper ? i + k : i + k + 1;
      if (cut < 0) cut = 0;
      if (cut > cols) cut = cols;
      if (upper) {
        memory.fill(po, 0, <usize>cut << 2);
        if (ps != po) memory.copy(addr(po, cut), addr(ps, cut), <usize>(cols - cut) << 2);
      } else {
        if (ps != po) memory.copy(po, ps, <usize>cut << 2);
        memory.fill(addr(po, cut), 0, <usize>(cols - cut) << 2);
      }
    }
  }
}
