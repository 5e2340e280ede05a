// The compare family's kernels beyond the elementwise codes: a three-operand select (where,
// maskedFill) over broadcast/strided operands, and any/all reductions. Both move 32-bit words,
// so they serve float32, int32 and bool alike; a condition or input is true when its word is
// non-zero (callers turn float32 inputs into bool first, so −0.0 counts as false).

const MAX_DIMS = 16;
const counter = memory.data(MAX_DIMS * 4); // odometer over the outer dims; static, not allocated

@inline function dimAt(meta: usize, row: i32, nd: i32, d: i32): i32 {
  return load<i32>(meta + (<usize>(row * nd + d) << 2));
}

/**
 * One run of the select: out[i] = c[i·sc] != 0 ? a[i·sa] : b[i·sb], element strides of any
 * value; v128 when every stride is 0 or 1.
 */
export function selectRun(c: usize, sc: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if ((sc == 0 || sc == 1) && (sa == 0 || sa == 1) && (sb == 0 || sb == 1)) {
    const zero = i32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i;
      const vc = sc ? v128.load(c + (o << 2)) : v128.load32_splat(c);
      const va = sa ? v128.load(a + (o << 2)) : v128.load32_splat(a);
      const vb = sb ? v128.load(b + (o << 2)) : v128.load32_splat(b);
      v128.store(out + (o << 2), v128.bitselect(va, vb, i32x4.ne(vc, zero)));
    }
  }
  for (; i < n; i++) {
    const take = load<u32>(c + (<usize>(i * sc) << 2)) != 0;
    store<u32>(out + (<usize>i << 2), take ? load<u32>(a + (<usize>(i * sa) << 2)) : load<u32>(b + (<usize>(i * sb) << 2)));
  }
}

/**
 * out (contiguous, shape meta row 0) = select(c, a, b) with element strides in meta rows 1, 2
 * and 3 (0 where an operand is broadcast). nd ≥ 1.
 */
export function selectWhere(c: usize, a: usize, b: usize, out: usize, nd: i32, meta: usize): void {
  const last = nd - 1;
  const n = dimAt(meta, 0, nd, last);
  const sc = dimAt(meta, 1, nd, last), sa = dimAt(meta, 2, nd, last), sb = dimAt(meta, 3, nd, last);
  let outer = 1;
  for (let d = 0; d < last; d++) { outer *= dimAt(meta, 0, nd, d); store<i32>(counter + (<usize>d << 2), 0); }
  let pc = c, pa = a, pb = b, po = out;
  for (let r = 0; r < outer; r++) {
    selectRun(pc, sc, pa, sa, pb, sb, po, n);
    po += <usize>n << 2;
    for (let d = last - 1; d >= 0; d--) {
      const k = load<i32>(counter + (<usize>d << 2)) + 1;
      const size = dimAt(meta, 0, nd, d);
      const dc = dimAt(meta, 1, nd, d), da = dimAt(meta, 2, nd, d), db = dimAt(meta, 3, nd, d);
      if (k < size) {
        store<i32>(counter + (<usize>d << 2), k);
        pc += <usize>(dc << 2); pa += <usize>(da << 2); pb += <usize>(db << 2);
        break;
      }
      store<i32>(counter + (<usize>d << 2), 0);
      pc -= <usize>((dc * (size - 1)) << 2); pa -= <usize>((da * (size - 1)) << 2); pb -= <usize>((db * (size - 1)) << 2);
    }
  }
}

export const R_ANY: i32 = 0;
export const R_ALL: i32 = 1;

/**
 * any/all over the middle axis of a contiguous [outer, n, inner] block of 32-bit words: out
 * [outer, inner] gets 1 when any (all) of the n words is non-zero. n = 0 gives 0 for any and 1
 * for all, as PyTorch.
 */
export function reduceBool(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  const zero = i32x4.splat(0), one = i32x4.splat(1);
  const init: i32 = op == R_ALL ? 1 : 0;
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>(o * n * inner) << 2);
    const ob = out + (<usize>(o * inner) << 2);
    if (inner == 1) {
      let acc = op == R_ALL ? one : zero;
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const t = v128.and(i32x4.ne(v128.load(base + (<usize>i << 2)), zero), one);
        acc = op == R_ALL ? v128.and(acc, t) : v128.or(acc, t);
      }
      let r: i32 = op == R_ALL ? i32(i32x4.all_true(acc)) : i32(v128.any_true(acc));
      for (; i < n; i++) {
        const t = i32(load<i32>(base + (<usize>i << 2)) != 0);
        r = op == R_ALL ? r & t : r | t;
      }
      store<i32>(ob, r);
      continue;
    }
    for (let k = 0; k < inner; k++) store<i32>(ob + (<usize>k << 2), init);
    for (let j = 0; j < n; j++) {
      const row = base + (<usize>(j * inner) << 2);
      let k = 0;
      for (; k + 4 <= inner; k += 4) {
        const po = ob + (<usize>k << 2);
        const t = v128.and(i32x4.ne(v128.load(row + (<usize>k << 2)), zero), one);
        v128.store(po, op == R_ALL ? v128.and(v128.load(po), t) : v128.or(v128.load(po), t));
      }
      for (; k < inner; k++) {
        const po = ob + (<usize>k << 2);
        const t = i32(load<i32>(row + (<usize>k << 2)) != 0);
        store<i32>(po, op == R_ALL ? load<i32>(po) & t : load<i32>(po) | t);
      }
    }
  }
}
