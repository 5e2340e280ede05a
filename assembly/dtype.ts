// dtype conversions that need a kernel: float32 → int32 truncating toward zero (as PyTorch's
// `.int()`), checked. The caller (src/ops/elementwise.ts, floatToInt) throws on a bad element,
// so a NaN or out-of-range value is never silently wrapped or saturated.

// f32 limits of the values that truncate into int32: [-2^31, 2^31) (NaN fails both comparisons).
const LO: f32 = -2147483648.0;
const HI: f32 = 2147483648.0;

/**
 * out[i] = trunc(x[i]) as i32 for n elements; returns -1, or the index of the first element that
 * is NaN, ±Infinity or outside int32's range (out is then partly written: the caller's scratch).
 */
export function castFloatToInt(x: usize, out: usize, n: i32): i32 {
  let i = 0;
  const lo = f32x4.splat(LO), hi = f32x4.splat(HI);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const ok = v128.and(f32x4.ge(v, lo), f32x4.lt(v, hi));
    if (!i32x4.all_true(ok)) break; // the scalar loop below finds which lane
    v128.store(out + o, i32x4.trunc_sat_f32x4_s(v));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    if (!(v >= LO && v < HI)) return i;
    store<i32>(out + o, <i32>v);
  }
  return -1;
}
