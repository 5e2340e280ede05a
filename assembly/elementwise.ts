// Contiguous elementwise maps: an f32x4 main loop and a scalar tail, so any length and any
// 4-byte alignment is correct (a misaligned v128.load is only slower in wasm).

// Unary op codes (mirrored in src/runtime/kernels.ts).
export const U_NEG: i32 = 0;
export const U_EXP: i32 = 1;
export const U_LOG: i32 = 2;
export const U_SQRT: i32 = 3;
export const U_ABS: i32 = 4;
export const U_RELU: i32 = 5;
export const U_SIGMOID: i32 = 6;
export const U_TANH: i32 = 7;
export const U_GELU: i32 = 8;
export const U_LEAKY: i32 = 9; // p1 = slope
export const U_CLAMP: i32 = 10; // p1 = min, p2 = max
export const U_POWS: i32 = 11; // x ** p1
export const U_SQUARE: i32 = 12;
export const U_RSQRT: i32 = 13;
export const U_RECIP: i32 = 14;
export const U_SIGN: i32 = 15;
export const U_SIN: i32 = 16;
export const U_COS: i32 = 17;
export const U_AFFINE: i32 = 18; // p1 * x + p2
// From here on the input or the output is an i32 word (int32, or bool as 0/1): unaryInt.
export const U_INEG: i32 = 19; // i32 → i32 (wraps at −2³¹ as PyTorch)
export const U_IABS: i32 = 20;
export const U_ISIGN: i32 = 21;
export const U_I2F: i32 = 22; // i32 → f32 (int32/bool promoted to float32)
export const U_ISNAN: i32 = 23; // f32 → bool
export const U_ISFINITE: i32 = 24; // f32 → bool
export const U_LNOT_F: i32 = 25; // f32 → bool: x == 0
export const U_LNOT_I: i32 = 26; // i32 → bool: x == 0
export const U_NZ_F: i32 = 27; // f32 → bool: x != 0 (NaN is true)
export const U_NZ_I: i32 = 28; // i32 → bool: x != 0

// Binary op codes.
export const B_ADD: i32 = 0;
export const B_SUB: i32 = 1;
export const B_MUL: i32 = 2;
export const B_DIV: i32 = 3;
export const B_POW: i32 = 4;
export const B_MAX: i32 = 5;
export const B_MIN: i32 = 6;
export const B_EQ: i32 = 7;
export const B_NE: i32 = 8;
export const B_GT: i32 = 9;
export const B_GE: i32 = 10;
export const B_LT: i32 = 11;
export const B_LE: i32 = 12;
// Comparisons B_EQ..B_LE read f32 and write bool (i32 0/1). The codes below read i32 words
// (int32, or bool as 0/1): integer arithmetic wraps as PyTorch's int32 does.
export const B_IADD: i32 = 13;
export const B_ISUB: i32 = 14;
export const B_IMUL: i32 = 15;
export const B_IMAX: i32 = 16;
export const B_IMIN: i32 = 17;
export const B_IEQ: i32 = 18; // i32 comparisons → bool
export const B_INE: i32 = 19;
export const B_IGT: i32 = 20;
export const B_IGE: i32 = 21;
export const B_ILT: i32 = 22;
export const B_ILE: i32 = 23;
export const B_LAND: i32 = 24; // (a != 0) && (b != 0) on i32 words → bool
export const B_LOR: i32 = 25;
export const B_LXOR: i32 = 26;
export const B_IPOW: i32 = 27; // int32 ** int32 by squaring, wrapping; negative exponents as PyTorch (scalar path)

const SQRT1_2: f64 = 0.70710678118654752;
const INV_SQRT_2PI: f64 = 0.39894228040143268;

// erfc(z) with relative error < 1.2e-7 for every z (a Chebyshev fit, Numerical Recipes' erfcc),
// evaluated in f64. GELU's Φ(x) = erfc(−x/√2)/2 then keeps its relative accuracy in the negative
// tail, where 1 + erf(x/√2) (and an absolute-error erf) cancels to noise or 0.
@inline function erfc64(z: f64): f64 {
  const a = Math.abs(z);
  const t = 1 / (1 + 0.5 * a);
  const r = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? r : 2 - r;
}

// AssemblyScript's Mathf.sin/cos reduce |x| in [2^89, 2^90) wrongly (a shift by 64 in its
// large-argument path), so arguments past the small-argument range (π·2^28) go through f64.
@inline function sinf(x: f32): f32 { return Mathf.abs(x) < 2.68435456e8 ? Mathf.sin(x) : <f32>Math.sin(<f64>x); }
@inline function cosf(x: f32): f32 { return Mathf.abs(x) < 2.68435456e8 ? Mathf.cos(x) : <f32>Math.cos(<f64>x); }

@inline export function unaryScalar(op: i32, x: f32, p1: f32, p2: f32): f32 {
  switch (op) {
    case U_NEG: return -x;
    case U_EXP: return Mathf.exp(x);
    case U_LOG: return Mathf.log(x);
    case U_SQRT: return Mathf.sqrt(x);
    case U_ABS: return Mathf.abs(x);
    case U_RELU: return x < 0 ? 0 : x; // NaN and −0 pass through, as PyTorch
    case U_SIGMOID: return x >= 0 ? 1 / (1 + Mathf.exp(-x)) : Mathf.exp(x) / (1 + Mathf.exp(x));
    case U_TANH: {
      // tanh|x| = (1 − e)/(1 + e) with e = e^{−2|x|}, saturating to 1; below 0.55 that cancels (it
      // loses every digit of tanh(1e-5)), so there the Taylor series to x²¹ (the next term is under
      // 1e-9 relative), cheaper than expm1. copysign keeps −0.
      const a = Mathf.abs(x);
      if (a < 0.55) {
        const z = x * x;
        const p: f32 = <f32>-0.33333333333 + z * (<f32>0.13333333333 + z * (<f32>-0.053968253968 + z * (<f32>0.021869488536 +
          z * (<f32>-0.0088632355299 + z * (<f32>0.0035921280366 + z * (<f32>-0.0014558343870 + z * (<f32>0.00059002744094 +
          z * (<f32>-0.00023912911424 + z * <f32>0.000096915379569))))))));
        return copysign<f32>(a + a * z * p, x);
      }
      const e = Mathf.exp(-2 * a);
      return copysign<f32>((1 - e) / (1 + e), x);
    }
    case U_GELU: return <f32>(0.5 * <f64>x * erfc64(-<f64>x * SQRT1_2));
    case U_LEAKY: return x > 0 ? x : x * p1;
    case U_CLAMP: return Mathf.min(Mathf.max(x, p1), p2);
    case U_POWS: return Mathf.pow(x, p1);
    case U_SQUARE: return x * x;
    case U_RSQRT: return 1 / Mathf.sqrt(x);
    case U_RECIP: return 1 / x;
    case U_SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0;
    case U_SIN: return sinf(x);
    case U_COS: return cosf(x);
    case U_AFFINE: return p1 * x + p2;
  }
  return x;
}

/** out[i] = op(x[i]); out may equal x. */
@inline function unaryVec(op: i32, v: v128, vp1: v128, vp2: v128): v128 {
  const zero = f32x4.splat(0);
  if (op == U_NEG) return f32x4.neg(v);
  if (op == U_ABS) return f32x4.abs(v);
  if (op == U_RELU) return v128.bitselect(zero, v, f32x4.lt(v, zero)); // NaN and −0 pass, as the scalar path
  if (op == U_SQRT) return f32x4.sqrt(v);
  if (op == U_LEAKY) return v128.bitselect(v, f32x4.mul(v, vp1), f32x4.gt(v, zero));
  if (op == U_CLAMP) return f32x4.min(f32x4.max(v, vp1), vp2);
  if (op == U_SQUARE) return f32x4.mul(v, v);
  if (op == U_RECIP) return f32x4.div(f32x4.splat(1), v);
  return f32x4.add(f32x4.mul(v, vp1), vp2);
}

// Two vectors a step; called with a constant op for relu, so the dispatch folds away (as runVV).
@inline function runUnary(op: i32, x: usize, out: usize, n: i32, vp1: v128, vp2: v128): i32 {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const r0 = unaryVec(op, v128.load(x + o), vp1, vp2), r1 = unaryVec(op, v128.load(x + o, 16), vp1, vp2);
    v128.store(out + o, r0);
    v128.store(out + o, r1, 16);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, unaryVec(op, v128.load(x + o), vp1, vp2));
  }
  return i;
}

export function unary(op: i32, x: usize, out: usize, n: i32, p1: f32, p2: f32): void {
  if (op >= U_INEG) { unaryInt(op, x, out, n); return; }
  let i = 0;
  // The cheap ops get a v128 loop; transcendental ones go through the scalar path.
  if (op == U_NEG || op == U_ABS || op == U_RELU || op == U_SQRT || op == U_LEAKY ||
      op == U_CLAMP || op == U_SQUARE || op == U_AFFINE || op == U_RECIP) {
    const vp1 = f32x4.splat(p1), vp2 = f32x4.splat(p2);
    if (op == U_RELU) i = runUnary(U_RELU, x, out, n, vp1, vp2);
    else i = runUnary(op, x, out, n, vp1, vp2);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryScalar(op, load<f32>(x + o), p1, p2));
  }
}

/**
 * Gradient of a unary op: out[i] = g[i] · op'(x[i]), given the input x and the output y
 * (whichever is cheaper to differentiate from).
 */
@inline function unaryBackwardVec(op: i32, gv: v128, x: usize, y: usize, o: usize, vp1: v128): v128 {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  if (op == U_RELU) return v128.andnot(gv, f32x4.le(v128.load(x + o), zero)); // g where x > 0 or NaN, as PyTorch
  if (op == U_LEAKY) return v128.bitselect(gv, f32x4.mul(gv, vp1), f32x4.gt(v128.load(x + o), zero));
  if (op == U_SIGMOID) { const yv = v128.load(y + o); return f32x4.mul(gv, f32x4.mul(yv, f32x4.sub(one, yv))); }
  if (op == U_TANH) { const yv = v128.load(y + o); return f32x4.mul(gv, f32x4.sub(one, f32x4.mul(yv, yv))); }
  if (op == U_EXP) return f32x4.mul(gv, v128.load(y + o));
  if (op == U_NEG) return f32x4.neg(gv);
  if (op == U_SQUARE) return f32x4.mul(gv, f32x4.mul(f32x4.splat(2), v128.load(x + o)));
  return f32x4.mul(gv, vp1);
}

// Two vectors a step; called with a constant op for relu, so the dispatch folds away (as runVV).
@inline function runUnaryBackward(op: i32, x: usize, y: usize, g: usize, out: usize, n: i32, vp1: v128): i32 {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const d0 = unaryBackwardVec(op, v128.load(g + o), x, y, o, vp1);
    const d1 = unaryBackwardVec(op, v128.load(g + o, 16), x, y, o + 16, vp1);
    v128.store(out + o, d0);
    v128.store(out + o, d1, 16);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, unaryBackwardVec(op, v128.load(g + o), x, y, o, vp1));
  }
  return i;
}

export function unaryBackward(op: i32, x: usize, y: usize, g: usize, out: usize, n: i32, p1: f32, p2: f32): void {
  let i = 0;
  // The activations a training step runs most get a v128 loop; the rest stay scalar.
  if (op == U_RELU || op == U_LEAKY || op == U_SIGMOID || op == U_TANH || op == U_EXP ||
      op == U_NEG || op == U_SQUARE || op == U_AFFINE) {
    const vp1 = f32x4.splat(p1);
    if (op == U_RELU) i = runUnaryBackward(U_RELU, x, y, g, out, n, vp1);
    else i = runUnaryBackward(op, x, y, g, out, n, vp1);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const xi = load<f32>(x + o);
    const yi = load<f32>(y + o);
    let d: f32 = 0;
    switch (op) {
      case U_NEG: d = -gi; break;
      case U_EXP: d = gi * yi; break; // d(e^x) = e^x dx
      case U_LOG: d = gi / xi; break;
      case U_SQRT: d = gi * 0.5 / yi; break;
      case U_ABS: d = xi > 0 ? gi : xi < 0 ? -gi : 0; break;
      case U_RELU: d = xi <= 0 ? 0 : gi; break;
      case U_SIGMOID: d = gi * yi * (1 - yi); break;
      case U_TANH: d = gi * (1 - yi * yi); break;
      case U_GELU: {
        // d/dx x·Φ(x) = Φ(x) + x·φ(x)
        const xd = <f64>xi;
        d = gi * <f32>(0.5 * erfc64(-xd * SQRT1_2) + xd * INV_SQRT_2PI * Math.exp(-0.5 * xd * xd));
        break;
      }
      case U_LEAKY: d = xi > 0 ? gi : gi * p1; break;
      case U_CLAMP: d = xi >= p1 && xi <= p2 ? gi : 0; break;
      case U_POWS: d = p1 == 0 ? 0 : gi * p1 * Mathf.pow(xi, p1 - 1); break;
      case U_SQUARE: d = gi * 2 * xi; break;
      case U_RSQRT: d = gi * -0.5 * yi * yi * yi; break;
      case U_RECIP: d = -gi * yi * yi; break;
      case U_SIGN: d = 0; break;
      case U_SIN: d = gi * cosf(xi); break;
      case U_COS: d = -gi * sinf(xi); break;
      case U_AFFINE: d = gi * p1; break;
    }
    store<f32>(out + o, d);
  }
}

@inline export function binaryScalar(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_POW: return Mathf.pow(a, b);
    case B_MAX: return a != a || b != b ? NaN : Mathf.max(a, b);
    case B_MIN: return a != a || b != b ? NaN : Mathf.min(a, b);
  }
  return 0;
}

/** A comparison of two floats as bool (0/1); NaN compares unequal to everything. */
@inline export function compareScalar(op: i32, a: f32, b: f32): i32 {
  switch (op) {
    case B_EQ: return i32(a == b);
    case B_NE: return i32(a != b);
    case B_GT: return i32(a > b);
    case B_GE: return i32(a >= b);
    case B_LT: return i32(a < b);
    case B_LE: return i32(a <= b);
  }
  return 0;
}

/** An i32-word op: int32 arithmetic (wrapping), comparisons and logical ops (bool 0/1 out). */
@inline export function intScalar(op: i32, a: i32, b: i32): i32 {
  switch (op) {
    case B_IADD: return a + b;
    case B_ISUB: return a - b;
    case B_IMUL: return a * b;
    case B_IMAX: return a > b ? a : b;
    case B_IMIN: return a < b ? a : b;
    case B_IEQ: return i32(a == b);
    case B_INE: return i32(a != b);
    case B_IGT: return i32(a > b);
    case B_IGE: return i32(a >= b);
    case B_ILT: return i32(a < b);
    case B_ILE: return i32(a <= b);
    case B_LAND: return i32(a != 0 && b != 0);
    case B_LOR: return i32(a != 0 || b != 0);
    case B_LXOR: return i32((a != 0) != (b != 0));
    case B_IPOW: return ipow(a, b);
  }
  return 0;
}

/** a ** b in wrapping int32 arithmetic; a negative b gives 1/a truncated (0 unless a is ±1), as PyTorch. */
@inline function ipow(a: i32, b: i32): i32 {
  if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) != 0 ? -1 : 1) : 0;
  let r: i32 = 1, base = a, e = b;
  while (e != 0) {
    if ((e & 1) != 0) r *= base;
    base *= base;
    e >>>= 1;
  }
  return r;
}

/** A unary op whose input or output is an i32 word. */
@inline export function unaryIntScalar(op: i32, x: u32): u32 {
  const xi = <i32>x;
  const xf = reinterpret<f32>(x);
  switch (op) {
    case U_INEG: return <u32>(-xi);
    case U_IABS: return <u32>(xi < 0 ? -xi : xi);
    case U_ISIGN: return <u32>(xi > 0 ? 1 : xi < 0 ? -1 : 0);
    case U_I2F: return reinterpret<u32>(<f32>xi);
    case U_ISNAN: return u32(xf != xf);
    case U_ISFINITE: return u32(xf - xf == 0); // inf − inf and NaN − NaN are NaN
    case U_LNOT_F: return u32(xf == 0);
    case U_LNOT_I: return u32(xi == 0);
    case U_NZ_F: return u32(xf != 0);
    case U_NZ_I: return u32(xi != 0);
  }
  return x;
}

/** out[i] = op(x[i]) for the i32-word unary codes; out may equal x. */
function unaryInt(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  const zero = i32x4.splat(0), one = i32x4.splat(1), fzero = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    let r: v128;
    if (op == U_INEG) r = i32x4.neg(v);
    else if (op == U_IABS) r = i32x4.abs(v);
    else if (op == U_ISIGN) r = i32x4.sub(v128.and(i32x4.gt_s(v, zero), one), v128.and(i32x4.lt_s(v, zero), one));
    else if (op == U_I2F) r = f32x4.convert_i32x4_s(v);
    else if (op == U_ISNAN) r = v128.and(f32x4.ne(v, v), one);
    else if (op == U_ISFINITE) { const d = f32x4.sub(v, v); r = v128.and(f32x4.eq(d, d), one); }
    else if (op == U_LNOT_F) r = v128.and(f32x4.eq(v, fzero), one);
    else if (op == U_LNOT_I) r = v128.and(i32x4.eq(v, zero), one);
    else if (op == U_NZ_F) r = v128.and(f32x4.ne(v, fzero), one);
    else r = v128.and(i32x4.ne(v, zero), one);
    v128.store(out + o, r);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<u32>(out + o, unaryIntScalar(op, load<u32>(x + o)));
  }
}

@inline function binaryVec(op: i32, a: v128, b: v128): v128 {
  if (op == B_ADD) return f32x4.add(a, b);
  if (op == B_SUB) return f32x4.sub(a, b);
  if (op == B_MUL) return f32x4.mul(a, b);
  if (op == B_DIV) return f32x4.div(a, b);
  if (op == B_MAX) return f32x4.max(a, b); // wasm's max/min propagate NaN, as torch.maximum
  if (op == B_MIN) return f32x4.min(a, b);
  const one = i32x4.splat(1);
  if (op == B_EQ) return v128.and(f32x4.eq(a, b), one);
  if (op == B_NE) return v128.and(f32x4.ne(a, b), one);
  if (op == B_GT) return v128.and(f32x4.gt(a, b), one);
  if (op == B_GE) return v128.and(f32x4.ge(a, b), one);
  if (op == B_LT) return v128.and(f32x4.lt(a, b), one);
  if (op == B_LE) return v128.and(f32x4.le(a, b), one);
  if (op == B_IADD) return i32x4.add(a, b);
  if (op == B_ISUB) return i32x4.sub(a, b);
  if (op == B_IMUL) return i32x4.mul(a, b);
  if (op == B_IMAX) return i32x4.max_s(a, b);
  if (op == B_IMIN) return i32x4.min_s(a, b);
  if (op == B_IEQ) return v128.and(i32x4.eq(a, b), one);
  if (op == B_INE) return v128.and(i32x4.ne(a, b), one);
  if (op == B_IGT) return v128.and(i32x4.gt_s(a, b), one);
  if (op == B_IGE) return v128.and(i32x4.ge_s(a, b), one);
  if (op == B_ILT) return v128.and(i32x4.lt_s(a, b), one);
  if (op == B_ILE) return v128.and(i32x4.le_s(a, b), one);
  const zero = i32x4.splat(0);
  const na = v128.and(i32x4.ne(a, zero), one), nb = v128.and(i32x4.ne(b, zero), one);
  if (op == B_LAND) return v128.and(na, nb);
  if (op == B_LOR) return v128.or(na, nb);
  return v128.xor(na, nb);
}

/** One element of any binary code, as the 32-bit word it stores. */
@inline function binaryWord(op: i32, a: usize, b: usize): u32 {
  if (op <= B_MIN) return reinterpret<u32>(binaryScalar(op, load<f32>(a), load<f32>(b)));
  if (op <= B_LE) return <u32>compareScalar(op, load<f32>(a), load<f32>(b));
  return <u32>intScalar(op, load<i32>(a), load<i32>(b));
}

/**
 * A run of a binary op: out[i] = a[i·sa] op b[i·sb] with element strides sa, sb ∈ {0, 1}
 * taking the v128 path, anything else scalar. The strided kernel calls this for its inner dim.
 */
// The two-tensor loop, two vectors a step. Called with a constant op for the common float ops, so
// the inlined binaryVec folds to one instruction: V8 does not hoist the dispatch out of the loop.
@inline function runVV(op: i32, a: usize, b: usize, out: usize, n: i32): i32 {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const r0 = binaryVec(op, v128.load(a + o), v128.load(b + o));
    const r1 = binaryVec(op, v128.load(a + o, 16), v128.load(b + o, 16));
    v128.store(out + o, r0);
    v128.store(out + o, r1, 16);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, binaryVec(op, v128.load(a + o), v128.load(b + o)));
  }
  return i;
}

export function binaryRun(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (op != B_POW && op != B_IPOW) {
    if (sa == 1 && sb == 1) {
      if (op == B_ADD) i = runVV(B_ADD, a, b, out, n);
      else if (op == B_SUB) i = runVV(B_SUB, a, b, out, n);
      else if (op == B_MUL) i = runVV(B_MUL, a, b, out, n);
      else if (op == B_DIV) i = runVV(B_DIV, a, b, out, n);
      else i = runVV(op, a, b, out, n);
    } else if (sa == 1 && sb == 0) {
      const vb = v128.load32_splat(b);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, binaryVec(op, v128.load(a + o), vb));
      }
    } else if (sa == 0 && sb == 1) {
      const va = v128.load32_splat(a);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, binaryVec(op, va, v128.load(b + o)));
      }
    }
  }
  for (; i < n; i++) {
    store<u32>(out + (<usize>i << 2), binaryWord(op, a + (<usize>(i * sa) << 2), b + (<usize>(i * sb) << 2)));
  }
}

/** out[i] = value. */
export function fill(out: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), value);
}

/** y[i] += alpha · x[i] (gradient accumulation, add_ with alpha). */
export function axpy(y: usize, x: usize, n: i32, alpha: f32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(v128.load(x + o), va)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}
