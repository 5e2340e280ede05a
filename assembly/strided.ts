// Strided paths for non-contiguous and broadcast inputs. Shapes and element strides come in
// through a small i32 block in linear memory (`meta`), written by the caller just before the call:
//   meta[0..nd) = shape, then one stride row of nd entries per operand.
// The innermost dim runs as a contiguous/broadcast run (v128 where strides are 0 or 1).
import { binaryRun } from './elementwise';

const MAX_DIMS = 16;
const counter = memory.data(MAX_DIMS * 4); // odometer over the outer dims; static, not allocated

@inline function dimAt(meta: usize, row: i32, nd: i32, d: i32): i32 {
  return load<i32>(meta + (<usize>(row * nd + d) << 2));
}

/** out (contiguous, shape meta row 0) = a (strides row 1) op b (strides row 2). */
export function binaryStrided(op: i32, a: usize, b: usize, out: usize, nd: i32, meta: usize): void {
  const last = nd - 1;
  const n = dimAt(meta, 0, nd, last);
  const sa = dimAt(meta, 1, nd, last);
  const sb = dimAt(meta, 2, nd, last);
  let outer = 1;
  for (let d = 0; d < last; d++) { outer *= dimAt(meta, 0, nd, d); store<i32>(counter + (<usize>d << 2), 0); }
  let pa = a, pb = b, po = out;
  for (let r = 0; r < outer; r++) {
    binaryRun(op, pa, sa, pb, sb, po, n);
    po += <usize>n << 2;
    // advance the odometer, carrying from the innermost outer dim
    for (let d = last - 1; d >= 0; d--) {
      const c = load<i32>(counter + (<usize>d << 2)) + 1;
      const size = dimAt(meta, 0, nd, d);
      const da = dimAt(meta, 1, nd, d), db = dimAt(meta, 2, nd, d);
      if (c < size) {
        store<i32>(counter + (<usize>d << 2), c);
        pa += <usize>(da << 2); pb += <usize>(db << 2);
        break;
      }
      store<i32>(counter + (<usize>d << 2), 0);
      pa -= <usize>((da * (size - 1)) << 2); pb -= <usize>((db * (size - 1)) << 2);
    }
  }
}

/**
 * dst (strides row 2) = src (strides row 1), both of shape meta row 0; 4-byte elements of any
 * type. The destination may be a strided view (in-place writes into transposed views); it must
 * not overlap itself.
 */
// One run of n elements: destination step t, source step s (0: one value repeated).
@inline function copyRun(ps: usize, pd: usize, n: i32, s: i32, t: i32): void {
  if (t != 1) {
    for (let i = 0; i < n; i++) store<u32>(pd + (<usize>(i * t) << 2), load<u32>(ps + (<usize>(i * s) << 2)));
  } else if (s == 1) {
    // v128 copies: memory.copy is a call into the engine, which costs more than a short row
    // (linear's bias rows); long runs still go to it
    if (n >= 256) { memory.copy(pd, ps, <usize>n << 2); return; }
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(pd + (<usize>i << 2), v128.load(ps + (<usize>i << 2)));
    for (; i < n; i++) store<u32>(pd + (<usize>i << 2), load<u32>(ps + (<usize>i << 2)));
  } else if (s == 0) {
    const v = v128.load32_splat(ps);
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(pd + (<usize>i << 2), v);
    for (; i < n; i++) store<u32>(pd + (<usize>i << 2), load<u32>(ps));
  } else {
    for (let i = 0; i < n; i++) store<u32>(pd + (<usize>i << 2), load<u32>(ps + (<usize>(i * s) << 2)));
  }
}

export function copyStrided(src: usize, dst: usize, nd: i32, meta: usize): void {
  if (nd == 0) { store<u32>(dst, load<u32>(src)); return; }
  const last = nd - 1;
  const n = dimAt(meta, 0, nd, last);
  const s = dimAt(meta, 1, nd, last);
  const t = dimAt(meta, 2, nd, last);
  if (nd == 2) { // rows: no odometer
    const rows = dimAt(meta, 0, 2, 0), rs = dimAt(meta, 1, 2, 0), rt = dimAt(meta, 2, 2, 0);
    for (let r = 0; r < rows; r++) copyRun(src + (<usize>(r * rs) << 2), dst + (<usize>(r * rt) << 2), n, s, t);
    return;
  }
  let outer = 1;
  for (let d = 0; d < last; d++) { outer *= dimAt(meta, 0, nd, d); store<i32>(counter + (<usize>d << 2), 0); }
  let ps = src, pd = dst;
  for (let r = 0; r < outer; r++) {
    copyRun(ps, pd, n, s, t);
    for (let d = last - 1; d >= 0; d--) {
      const c = load<i32>(counter + (<usize>d << 2)) + 1;
      const size = dimAt(meta, 0, nd, d);
      const ds = dimAt(meta, 1, nd, d), dd = dimAt(meta, 2, nd, d);
      if (c < size) { store<i32>(counter + (<usize>d << 2), c); ps += <usize>(ds << 2); pd += <usize>(dd << 2); break; }
      store<i32>(counter + (<usize>d << 2), 0);
      ps -= <usize>((ds * (size - 1)) << 2);
      pd -= <usize>((dd * (size - 1)) << 2);
    }
  }
}
