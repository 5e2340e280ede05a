// Property-based tests (fast-check, fixed seeds): random shapes (0–4 dims, sizes 0–7), broadcast
// pairs, strided views (permute, transpose, narrow, select, expand, flip) and values, for the
// elementwise, reduction, matmul, movement and loss ops, forward and backward, against the
// float64 reference in tests/support/reference.ts (whose own gradients are checked here by
// float64 central differences). A failure prints fast-check's seed and the counterexample.
//
// Tolerances are in float32 epsilons (ε = 2⁻²³) of the op's condition: correctly rounded ops
// (+ − × ÷ max min, views, copies) must match the float64 result rounded to float32 bit for bit;
// a sum of n terms may be off by n·ε·Σ|terms|; transcendental maps by a few ε of the value plus
// ε·|x·f′(x)| (the rounding of the float32 input's own error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import * as R from './support/reference.js';
import type { Nd, ViewOp } from './support/reference.js';

// PROPERTIES_SEED and PROPERTIES_SCALE (a multiplier of every numRuns) explore further by hand.
const SEED = Number(process.env.PROPERTIES_SEED ?? 20261202);
const SCALE = Number(process.env.PROPERTIES_SCALE ?? 1);
const EPS = R.EPS32;
const runs = (n: number) => ({ seed: SEED, numRuns: Math.ceil(n * SCALE), endOnFailure: true, includeErrorInReport: true });

// ---- random sources -------------------------------------------------------------------------

/** mulberry32: the view recipes and values come from a seed fast-check draws, so a run is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const SPECIAL = [NaN, Infinity, -Infinity, -0, 0, 1e-40, -1e-45, 3e38, -3e38, 1e4, -1e4];
const IEEE = [NaN, Infinity, -Infinity, -Infinity, -0, 0, 1e-40, -1e-45];
type Kind = 'normal' | 'positive' | 'nonneg' | 'grid' | 'special' | 'ieee' | 'shifted';

/**
 * n float32 values: uniform in [−3, 3], positive [0.2, 3], on a half-integer grid (ties), with
 * special values mixed in, or shifted by ±1e4 (logits far from 0, where log-softmax must not round
 * at the shift's scale).
 */
function values(n: number, r: () => number, kind: Kind): Float32Array {
  const out = new Float32Array(n);
  const shift = kind === 'shifted' ? (r() < 0.5 ? -1e4 : 1e4) : 0;
  for (let i = 0; i < n; i++) {
    if (kind === 'grid') out[i] = int(r, -6, 6) / 2;
    else if (kind === 'positive') out[i] = 0.2 + 2.8 * r();
    else if (kind === 'nonneg') out[i] = int(r, 0, 6) / 2;
    else if (kind === 'special' && r() < 0.35) out[i] = pick(r, SPECIAL);
    else if (kind === 'ieee' && r() < 0.3) out[i] = pick(r, IEEE); // no huge finite values: sums keep their order-free NaN/∞ pattern
    else out[i] = shift + (r() * 2 - 1) * 3;
  }
  return out;
}

const dimSize = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 6 }, { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.integer({ min: 5, max: 7 }), weight: 2 });
const shapeArb = (minDims = 0, maxDims = 4) => fc.array(dimSize, { minLength: minDims, maxLength: maxDims }).filter((s) => R.numelOf(s) <= 400);

/** Two shapes that broadcast: each a suffix of `out` with some sizes replaced by 1. */
const broadcastPair = shapeArb().chain((out) => fc.tuple(
  fc.constant(out),
  fc.tuple(fc.nat(out.length), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 })),
  fc.tuple(fc.nat(out.length), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 })),
).map(([o, [la, ma], [lb, mb]]) => {
  const cut = (len: number, mask: boolean[]) => o.slice(o.length - len).map((s, i) => (mask[i] ? 1 : s));
  return { out: o, a: cut(la, ma), b: cut(lb, mb) };
}));

/**
 * A view recipe ending at `target`: the base shape and the ops (applied in order) that turn a
 * contiguous base into a view of that shape, each op chosen at random (permute, narrow, expand,
 * flip, select, transpose). `allowExpand` is off where the view must not alias (in-place targets).
 */
export function recipe(target: readonly number[], r: () => number, allowExpand = true): { base: number[]; ops: ViewOp[] } {
  const ops: ViewOp[] = [];
  let cur = [...target];
  if (r() < 0.3 && cur.length < 4) { // select away an extra dim
    const k = int(r, 0, cur.length), m = int(r, 1, 3);
    ops.unshift({ op: 'select', dim: k, index: int(r, 0, m - 1) });
    cur = [...cur.slice(0, k), m, ...cur.slice(k)];
  }
  if (r() < 0.3 && cur.length > 0) ops.unshift({ op: 'flip', dims: cur.map((_, d) => d).filter(() => r() < 0.5) });
  if (allowExpand && r() < 0.3 && cur.length > 0) {
    const shape = [...cur];
    const lead = int(r, 0, Math.min(1, cur.length));
    cur = cur.slice(lead).map((s) => (s !== 1 && r() < 0.5 ? 1 : s));
    ops.unshift({ op: 'expand', shape });
  }
  if (r() < 0.4) {
    cur.forEach((s, d) => {
      if (r() < 0.5) {
        const pad = int(r, 1, 2);
        ops.unshift({ op: 'narrow', dim: d, start: int(r, 0, pad), length: s });
        cur[d] = s + pad;
      }
    });
  }
  if (r() < 0.5 && cur.length >= 2) {
    if (r() < 0.5) {
      const perm = cur.map((_, d) => d).sort(() => r() - 0.5);
      const pre = new Array<number>(cur.length);
      perm.forEach((p, i) => { pre[p] = cur[i]; });
      ops.unshift({ op: 'permute', dims: perm });
      cur = pre;
    } else {
      const d0 = int(r, 0, cur.length - 1), d1 = int(r, 0, cur.length - 1);
      ops.unshift({ op: 'transpose', d0, d1 });
      [cur[d0], cur[d1]] = [cur[d1], cur[d0]];
    }
  }
  return { base: cur, ops };
}

function applyOps(t: Tensor, ops: readonly ViewOp[]): Tensor {
  for (const o of ops) {
    switch (o.op) {
      case 'permute': t = t.permute(o.dims); break;
      case 'transpose': t = t.transpose(o.d0, o.d1); break;
      case 'narrow': t = t.narrow(o.dim, o.start, o.length); break;
      case 'select': t = t.select(o.dim, o.index); break;
      case 'flip': t = t.flip(o.dims); break;
      case 'expand': t = t.expand(o.shape); break;
    }
  }
  return t;
}

/** An operand of a property: a leaf base tensor, the view the op sees, and the reference's view of it. */
interface Operand { leaf: Tensor; view: Tensor; ref: Nd; map: R.ViewMap; base: Float32Array; desc: string }

function operand(target: readonly number[], r: () => number, kind: Kind, grad = true, allowExpand = true): Operand {
  const { base, ops } = recipe(target, r, allowExpand);
  const data = values(R.numelOf(base), r, kind);
  const leaf = torch.tensor(data).reshape(base).detach().requiresGrad_(grad);
  const view = applyOps(leaf, ops);
  const map = R.viewMap(base, ops);
  assert.deepEqual(view.shape, map.shape, 'the recipe reaches its target shape');
  return { leaf, view, ref: R.gatherView(data, map), map, base: data, desc: `base ${JSON.stringify(base)} ops ${JSON.stringify(ops)}` };
}

// ---- comparisons ------------------------------------------------------------------------------

/** Bit-for-bit equality with the float64 result rounded to float32 (NaN equals NaN, −0 differs from 0). */
function assertExact(got: Float32Array, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    if (!Object.is(got[i], Math.fround(want[i]))) assert.fail(`${what}: element ${i} is ${got[i]}, expected ${Math.fround(want[i])} (float64 ${want[i]})`);
  }
}

/** |got − want| ≤ k·ε·(|want| + scale) + tiny, with NaN and infinities matched exactly. */
function assertNear(got: ArrayLike<number>, want: ArrayLike<number>, what: string, k: number, scale?: ArrayLike<number>, tiny = 1e-30): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    const g = got[i], w = want[i];
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w) && !(Number.isNaN(g) && Number.isNaN(w))) assert.fail(`${what}: element ${i} is ${g}, expected ${w}`);
      continue;
    }
    const tol = k * EPS * (Math.abs(w) + (scale ? Math.abs(scale[i]) : 0)) + tiny;
    if (!(Math.abs(g - w) <= tol)) assert.fail(`${what}: element ${i} is ${g}, expected ${w} (tolerance ${tol.toExponential(2)}, ${k}ε)`);
  }
}

const absNd = (a: Nd): Nd => R.map1(a, Math.abs);
const f32 = (t: Tensor): Float32Array => t.toFloat32Array();

/** The base's gradient from the gradient of its view, with the matching Σ|·| scale for tolerances. */
function baseGrad(o: Operand, g: Nd, gAbs: Nd): { want: Float64Array; scale: Float64Array } {
  return { want: R.scatterView(g, o.map, o.base.length), scale: R.scatterView(gAbs, o.map, o.base.length) };
}

/** Checks a leaf's .grad against the reference (a missing gradient counts as zeros for empty tensors). */
function checkGrad(o: Operand, g: Nd, gAbs: Nd, what: string, k: number): void {
  const { want, scale } = baseGrad(o, g, gAbs);
  const got = o.leaf.grad ? f32(o.leaf.grad) : new Float32Array(o.base.length);
  assertNear(got, want, `${what} (${o.desc})`, k, scale);
}

/** Runs (out · w).sum().backward() for a random float32 w of out's shape and returns w in float64. */
function backwardWith(out: Tensor, r: () => number): Nd {
  const w = values(out.numel(), r, 'normal');
  if (out.numel() > 0 || out.requiresGrad) out.mul(torch.tensor(w).reshape(out.shape)).sum().backward();
  return R.nd(out.shape, w);
}

/** float64 central differences of a reference function, to check the reference's own gradients. */
function refFiniteDiff(f: (x: Float64Array) => number, x: Float64Array, grad: ArrayLike<number>, what: string): void {
  for (let i = 0; i < x.length; i++) {
    const h = 1e-6 * Math.max(1, Math.abs(x[i]));
    const p = Float64Array.from(x), m = Float64Array.from(x);
    p[i] += h; m[i] -= h;
    const fd = (f(p) - f(m)) / (2 * h);
    if (!(Math.abs(fd - grad[i]) <= 1e-5 * (1 + Math.abs(fd)))) assert.fail(`${what}: reference gradient [${i}] ${grad[i]} vs finite difference ${fd}`);
  }
}

// ---- elementwise binary ----------------------------------------------------------------------

const BINARY: Record<string, { t: (a: Tensor, b: Tensor) => Tensor; f: (x: number, y: number) => number; da: (x: number, y: number) => number; db: (x: number, y: number) => number; exact: boolean; kind?: Kind }> = {
  add: { t: (a, b) => a.add(b), f: (x, y) => x + y, da: () => 1, db: () => 1, exact: true },
  sub: { t: (a, b) => a.sub(b), f: (x, y) => x - y, da: () => 1, db: () => -1, exact: true },
  mul: { t: (a, b) => a.mul(b), f: (x, y) => x * y, da: (_x, y) => y, db: (x) => x, exact: true },
  div: { t: (a, b) => a.div(b), f: (x, y) => x / y, da: (_x, y) => 1 / y, db: (x, y) => -x / (y * y), exact: true },
  maximum: {
    t: (a, b) => torch.maximum(a, b), f: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y)),
    da: (x, y) => (x > y ? 1 : x === y ? 0.5 : 0), db: (x, y) => (y > x ? 1 : x === y ? 0.5 : 0), exact: true, kind: 'grid',
  },
  minimum: {
    t: (a, b) => torch.minimum(a, b), f: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y)),
    da: (x, y) => (x < y ? 1 : x === y ? 0.5 : 0), db: (x, y) => (y < x ? 1 : x === y ? 0.5 : 0), exact: true, kind: 'grid',
  },
  pow: {
    // PyTorch's masks: no base gradient where y = 0, no exponent gradient where x = 0 and y ≥ 0
    t: (a, b) => a.pow(b), f: Math.pow, da: (x, y) => (y === 0 ? 0 : y * x ** (y - 1)), db: (x, y) => (x === 0 && y >= 0 ? 0 : x ** y * Math.log(x)), exact: false, kind: 'positive',
  },
};

for (const [name, op] of Object.entries(BINARY)) {
  test(`property: ${name} of broadcast strided views, forward and backward, against float64`, () => {
    fc.assert(fc.property(broadcastPair, fc.integer(), ({ a: sa, b: sb }, seed) => torch.tidy(() => {
      const r = rng(seed);
      const A = operand(sa, r, name === 'pow' && r() < 0.5 ? 'nonneg' : op.kind ?? 'normal'), B = operand(sb, r, name === 'pow' ? 'normal' : op.kind ?? 'normal');
      const out = op.t(A.view, B.view);
      const want = R.map2(A.ref, B.ref, op.f);
      assert.deepEqual(out.shape, want.shape, 'shape');
      if (op.exact) assertExact(f32(out), want.data, `${name} forward (${A.desc} | ${B.desc})`);
      else assertNear(f32(out), want.data, `${name} forward`, 4, R.map2(A.ref, B.ref, (x, y) => (x === 0 ? 0 : Math.abs(y * Math.log(x) * x ** y))).data);
      const w = backwardWith(out, r);
      // ∂/∂a = w·da, summed over what a was broadcast across, then through the view
      const ga = R.unbroadcast(R.map2(R.map2(A.ref, B.ref, op.da), w, (d, g) => d * g), A.ref.shape);
      const gb = R.unbroadcast(R.map2(R.map2(A.ref, B.ref, op.db), w, (d, g) => d * g), B.ref.shape);
      const gaAbs = R.unbroadcast(R.map2(R.map2(A.ref, B.ref, op.da), w, (d, g) => Math.abs(d * g)), A.ref.shape);
      const gbAbs = R.unbroadcast(R.map2(R.map2(A.ref, B.ref, op.db), w, (d, g) => Math.abs(d * g)), B.ref.shape);
      const k = 8 + 2 * R.numelOf(want.shape);
      checkGrad(A, ga, gaAbs, `${name} grad a`, k);
      checkGrad(B, gb, gbAbs, `${name} grad b`, k);
    })), runs(60));
  });
}

test('property: + − × ÷ maximum minimum with NaN, ±Infinity, −0 and denormals match IEEE float32 bit for bit', () => {
  fc.assert(fc.property(broadcastPair, fc.integer(), ({ a: sa, b: sb }, seed) => torch.tidy(() => {
    const r = rng(seed);
    const A = operand(sa, r, 'special', false), B = operand(sb, r, 'special', false);
    for (const name of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum']) {
      assertExact(f32(BINARY[name].t(A.view, B.view)), R.map2(A.ref, B.ref, BINARY[name].f).data, `${name} special (${A.desc} | ${B.desc})`);
    }
    for (const v of [0, -0, Infinity, -Infinity, NaN, 2.5]) {
      assertExact(f32(A.view.mul(v)), R.map1(A.ref, (x) => x * v).data, `mul by ${v}`);
      assertExact(f32(torch.div(v, A.view)), R.map1(A.ref, (x) => v / x).data, `${v} divided by`);
      assertExact(f32(A.view.add(v)), R.map1(A.ref, (x) => x + v).data, `add ${v}`);
    }
  })), runs(60));
});

/** C's pow (PyTorch's): unlike Math.pow, 1^y = 1 and x^±0 = 1 for every y and x (NaN included), (−1)^±∞ = 1. */
const cpow = (x: number, y: number): number => (x === 1 || y === 0 ? 1 : x === -1 && !Number.isFinite(y) && !Number.isNaN(y) ? 1 : Math.pow(x, y));

test('property: pow and clamp with NaN, ±Infinity, ±0 and denormals give C\'s (PyTorch\'s) special cases', () => {
  fc.assert(fc.property(broadcastPair, fc.integer(), ({ a: sa, b: sb }, seed) => torch.tidy(() => {
    const r = rng(seed);
    const A = operand(sa, r, 'special', false), B = operand(sb, r, pick(r, ['special', 'grid'] as Kind[]), false);
    const want = R.map2(A.ref, B.ref, cpow);
    const got = f32(A.view.pow(B.view));
    got.forEach((g, i) => {
      const w = Math.fround(want.data[i]);
      if (Number.isNaN(w) || !Number.isFinite(w) || w === 0) assert.ok(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `pow element ${i}: ${g}, expected ${w} (${A.desc} | ${B.desc})`);
      else assert.ok(R.ulpDistance(g, want.data[i]) <= 2 || (Math.abs(w) < 2 ** -126 && Math.abs(g - w) <= 2 ** -140), `pow element ${i}: ${g}, expected ${want.data[i]}`);
    });
    const [lo, hi] = [pick(r, [-1, 0, -Infinity, NaN]), pick(r, [1, 0.5, Infinity, -2])];
    if (!Number.isNaN(lo)) {
      // PyTorch: min(max(x, lo), hi), so hi wins when lo > hi, and NaN stays NaN
      assertExact(f32(A.view.clamp(lo, hi)), R.map1(A.ref, (x) => (Number.isNaN(x) ? NaN : Math.min(Math.max(x, lo), hi))).data, `clamp(${lo}, ${hi})`);
    }
  })), runs(80));
});

test('property: clamp of strided views with number or tensor bounds, gradient where min ≤ x ≤ max', () => {
  fc.assert(fc.property(broadcastPair, fc.boolean(), fc.integer(), ({ a: sa, b: sb }, tensorBounds, seed) => torch.tidy(() => {
    const r = rng(seed);
    const X = operand(sa, r, 'grid');
    let out: Tensor, lo: Nd, hi: Nd;
    if (tensorBounds) {
      const L = operand(sb, r, 'grid', false);
      lo = L.ref; hi = R.map1(L.ref, (v) => v + 1);
      out = X.view.clamp(L.view, L.view.add(1));
    } else {
      const a = int(r, -4, 2) / 2;
      lo = R.nd([], [a]); hi = R.nd([], [a + 1]);
      out = X.view.clamp(a, a + 1);
    }
    const want = R.map2(R.map2(X.ref, lo, Math.max), hi, Math.min);
    assertExact(f32(out), want.data, `clamp forward (${X.desc})`);
    const w = backwardWith(out, r);
    // PyTorch's ClampBackward: the gradient passes where lo ≤ x ≤ hi (bounds included)
    const pass = R.map2(R.map2(X.ref, lo, (x, l) => (x >= l ? 1 : 0)), R.map2(X.ref, hi, (x, h) => (x <= h ? 1 : 0)), (p, q) => p * q);
    const g = R.unbroadcast(R.map2(pass, w, (p, ww) => p * ww), X.ref.shape);
    checkGrad(X, g, R.unbroadcast(absNd(R.map2(pass, w, (p, ww) => p * ww)), X.ref.shape), 'clamp grad', 4 + 2 * R.numelOf(want.shape));
  })), runs(60));
});

test('property: matmul propagates NaN and ±Infinity as IEEE sums of products (0·∞ = NaN, no skipped zeros)', () => {
  fc.assert(fc.property(matmulShapes, fc.integer(), ({ a: sa, b: sb }, seed) => torch.tidy(() => {
    const r = rng(seed);
    const A = operand(sa, r, 'special', false), B = operand(sb, r, 'special', false);
    // keep products and sums inside float32's range, so only NaN/∞ decide the pattern
    for (const o of [A, B]) o.ref = R.map1(o.ref, (v) => (Number.isFinite(v) && Math.abs(v) > 1e5 ? NaN : v));
    const clean = (o: Operand) => o.view.maskedFill(o.view.abs().gt(1e5).logicalAnd(o.view.isfinite()), NaN);
    const got = f32(clean(A).matmul(clean(B)));
    const { out: want } = R.matmul(A.ref, B.ref);
    got.forEach((g, i) => {
      const w = want.data[i];
      if (!Number.isFinite(w)) assert.ok(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `matmul element ${i}: ${g}, expected ${w} (${A.desc} | ${B.desc})`);
      else assert.ok(Number.isFinite(g), `matmul element ${i}: ${g}, expected the finite ${w}`);
    });
  })), runs(100));
});

// ---- unary maps on strided views ---------------------------------------------------------------

const UNARY_T: Record<string, (t: Tensor) => Tensor> = {
  neg: (t) => t.neg(), exp: (t) => t.exp(), log: (t) => t.log(), sqrt: (t) => t.sqrt(), rsqrt: (t) => t.rsqrt(),
  abs: (t) => t.abs(), sin: (t) => t.sin(), cos: (t) => t.cos(), square: (t) => t.square(), reciprocal: (t) => t.reciprocal(),
  relu: (t) => t.relu(), leakyRelu: (t) => t.leakyRelu(0.01), sigmoid: (t) => t.sigmoid(), tanh: (t) => t.tanh(), gelu: (t) => t.gelu(),
};
const POSITIVE_ONLY = new Set(['log', 'sqrt', 'rsqrt', 'reciprocal']);

test('property: unary maps of strided views, forward and backward through the view, against float64', () => {
  fc.assert(fc.property(shapeArb(), fc.constantFrom(...Object.keys(UNARY_T)), fc.integer(), (shape, name, seed) => torch.tidy(() => {
    const r = rng(seed);
    const X = operand(shape, r, POSITIVE_ONLY.has(name) ? 'positive' : 'normal');
    const out = UNARY_T[name](X.view);
    const { f, df } = R.UNARY[name];
    // value error: a few ε of the value, plus the float32 rounding of x carried through f′ (gelu's
    // erf is good to ~1.5e-7 absolute, which the ε·|x·f′| term and 1e-7 cover)
    const cond = R.map1(X.ref, (x) => Math.abs(x * df(x)) + (name === 'gelu' ? 2 * Math.abs(x) : 0));
    assertNear(f32(out), R.map1(X.ref, (x) => f(x)).data, `${name} forward (${X.desc})`, 8, cond.data);
    const w = backwardWith(out, r);
    const g = R.map2(R.map1(X.ref, df), w, (d, gg) => d * gg);
    // sigmoid, tanh and gelu differentiate from the rounded output (y·(1 − y), 1 − y²) or from two
    // terms that cancel: their error is absolute, a few ε of the upstream gradient
    const gs = R.map2(absNd(g), w, (v, ww) => v + (name === 'tanh' || name === 'sigmoid' || name === 'gelu' ? Math.abs(ww) : 0));
    checkGrad(X, g, gs, `${name} grad`, 64);
  })), runs(150));
});

// ---- reductions ---------------------------------------------------------------------------------

type RedName = 'sum' | 'mean' | 'amax' | 'amin' | 'prod' | 'var' | 'std' | 'logsumexp' | 'norm1' | 'norm2' | 'norm3' | 'normInf';
const dimsArb = (nd: number) => nd === 0 ? fc.constant(undefined) : fc.oneof(fc.constant(undefined), fc.subarray([...Array(nd).keys()], { minLength: 1 }).chain((ds) =>
  fc.tuple(...ds.map((d) => fc.boolean().map((neg) => (neg ? d - nd : d)))).map((x) => x as number[])));

interface RedSpec {
  t: (x: Tensor, dims: number[] | undefined, keep: boolean) => Tensor;
  f: (v: number[]) => number;
  /** gradient of each member from the group's values, the group's result and its gradient */
  grad: (v: number[], y: number, g: number) => number[];
  scale: (v: number[]) => number; // the Σ|terms| the float32 result may be off by (times n·ε)
  nonEmpty?: boolean; oneDim?: boolean; positive?: boolean;
  /** the gradient's own condition per member, where it is worse than |gradient| (x − μ of close values) */
  gradScale?: (v: number[], y: number, g: number) => number[];
}
const sumAbs = (v: number[]): number => R.sumOf(v.map(Math.abs));
const REDUCE: Record<RedName, RedSpec> = {
  sum: { t: (x, d, k) => x.sum(d, k), f: R.sumOf, grad: (v, _y, g) => v.map(() => g), scale: sumAbs },
  mean: { t: (x, d, k) => x.mean(d, k), f: (v) => R.sumOf(v) / v.length, grad: (v, _y, g) => v.map(() => g / v.length), scale: (v) => sumAbs(v) / v.length },
  amax: { t: (x, d, k) => x.amax(d, k), f: R.maxOf, grad: (v, y, g) => { const n = v.filter((x) => x === y).length; return v.map((x) => (x === y ? g / n : 0)); }, scale: () => 0, nonEmpty: true },
  amin: { t: (x, d, k) => x.amin(d, k), f: R.minOf, grad: (v, y, g) => { const n = v.filter((x) => x === y).length; return v.map((x) => (x === y ? g / n : 0)); }, scale: () => 0, nonEmpty: true },
  prod: {
    t: (x, d, k) => x.prod(d === undefined ? null : d[0], k), f: (v) => v.reduce((a, b) => a * b, 1),
    grad: (v, _y, g) => v.map((_, i) => g * v.reduce((a, b, j) => (j === i ? a : a * b), 1)), scale: (v) => Math.abs(v.reduce((a, b) => a * b, 1)) * v.length, oneDim: true,
  },
  var: {
    t: (x, d, k) => x.var(d ?? null, { correction: 1, keepdim: k }), f: (v) => R.varOf(v, 1),
    grad: (v, _y, g) => { const mu = R.sumOf(v) / v.length; return v.map((x) => (g * 2 * (x - mu)) / (v.length - 1)); },
    scale: (v) => R.sumOf(v.map((x) => x * x)) / Math.max(1, v.length - 1) * 4, nonEmpty: true,
  },
  std: {
    t: (x, d, k) => x.std(d ?? null, { correction: 0, keepdim: k }), f: (v) => Math.sqrt(R.varOf(v, 0)),
    grad: (v, y, g) => { const mu = R.sumOf(v) / v.length; return v.map((x) => (y === 0 ? 0 : (g * (x - mu)) / (v.length * y))); }, // PyTorch masks std = 0 to a zero gradient
    scale: (v) => Math.sqrt(R.sumOf(v.map((x) => x * x)) / v.length) * 4, nonEmpty: true,
    // x − μ and std of nearly equal values carry ε·|x| absolute errors: relative to them, not to the result
    gradScale: (v, y, g) => { const mu = R.sumOf(v) / v.length; return v.map((x) => (y === 0 ? 0 : (Math.abs(g) * (Math.abs(x) + Math.abs(mu))) / (v.length * y) * (1 + Math.max(...v.map((z) => Math.abs(z - mu))) / y))); },
  },
  logsumexp: {
    t: (x, d, k) => x.logsumexp(d ?? [...Array(x.ndim).keys()], k), f: R.logsumexpOf,
    grad: (v, y, g) => v.map((x) => g * Math.exp(x - y)), scale: (v) => 1 + R.maxOf(v.map(Math.abs)),
  },
  norm1: { t: (x, d, k) => x.norm(1, d ?? null, k), f: sumAbs, grad: (v, _y, g) => v.map((x) => g * Math.sign(x)), scale: sumAbs },
  norm2: {
    t: (x, d, k) => x.norm(2, d ?? null, k), f: (v) => Math.sqrt(R.sumOf(v.map((x) => x * x))),
    grad: (v, y, g) => v.map((x) => (y === 0 ? 0 : (g * x) / y)), scale: (v) => Math.sqrt(R.sumOf(v.map((x) => x * x))),
  },
  norm3: {
    t: (x, d, k) => x.norm(3, d ?? null, k), f: (v) => R.sumOf(v.map((x) => Math.abs(x) ** 3)) ** (1 / 3),
    grad: (v, y, g) => v.map((x) => (y === 0 ? 0 : (g * Math.sign(x) * x * x) / (y * y))), scale: (v) => 4 * R.sumOf(v.map((x) => Math.abs(x) ** 3)) ** (1 / 3),
  },
  normInf: {
    t: (x, d, k) => x.norm(Infinity, d ?? null, k), f: (v) => R.maxOf(v.map(Math.abs)),
    grad: (v, y, g) => { const n = v.filter((x) => Math.abs(x) === y).length; return v.map((x) => (Math.abs(x) === y ? (g * Math.sign(x)) / n : 0)); },
    scale: () => 0, nonEmpty: true,
  },
};

for (const [name, spec] of Object.entries(REDUCE)) {
  test(`property: ${name} over random dims of strided views, keepdim or not, forward and backward`, () => {
    const arb = shapeArb(0, 4).chain((shape) => fc.tuple(fc.constant(shape), spec.oneDim
      ? (shape.length === 0 ? fc.constant(undefined) : fc.oneof(fc.constant(undefined), fc.integer({ min: -shape.length, max: shape.length - 1 }).map((d) => [d])))
      : dimsArb(shape.length), fc.boolean(), fc.integer()));
    fc.assert(fc.property(arb, ([shape, dims, keep, seed]) => torch.tidy(() => {
      const ds = R.normDims(dims, shape.length);
      const groupSize = R.numelOf(ds.map((d) => shape[d]));
      const kind: Kind = name === 'amax' || name === 'amin' || name === 'normInf' || name === 'prod' ? 'grid' : 'normal'; // grid: ties, and zeros for prod's gradient
      if ((spec.nonEmpty && groupSize === 0) || (name === 'var' && groupSize < 2)) return; // PyTorch: an error or NaN, checked elsewhere
      const r = rng(seed);
      const X = operand(shape, r, kind);
      const G = R.groups(X.ref.shape, ds, keep);
      // a float32 product that overflows to ∞ and then meets a 0 is NaN in any order PyTorch picks too
      if (name === 'prod' && G.members.some((m) => m.reduce((a, i) => a * (X.ref.data[i] === 0 ? 1 : Math.abs(X.ref.data[i])), 1) > 1e30)) return;
      const out = spec.t(X.view, dims, keep);
      const want = R.reduceGroups(X.ref, G, spec.f);
      assert.deepEqual(out.shape, want.shape, `${name} shape (dims ${dims}, keepdim ${keep})`);
      const scale = G.members.map((m) => spec.scale(m.map((i) => X.ref.data[i])));
      const k = 8 + 2 * Math.max(1, groupSize);
      assertNear(f32(out), want.data, `${name} forward dims ${JSON.stringify(dims)} keepdim ${keep} (${X.desc})`, k, scale);
      if (name === 'normInf' || name === 'amax' || name === 'amin') { if (groupSize > 0 && R.numelOf(want.shape) > 0) assertNear(f32(out), want.data, name, 0); }
      const w = backwardWith(out, r);
      const g = R.nd(X.ref.shape), gAbs = R.nd(X.ref.shape);
      G.members.forEach((m, o) => {
        const v = m.map((i) => X.ref.data[i]);
        const gm = spec.grad(v, want.data[o], w.data[o]);
        const gsc = spec.gradScale?.(v, want.data[o], w.data[o]);
        m.forEach((i, j) => { g.data[i] = gm[j]; gAbs.data[i] = Math.abs(gm[j]) + Math.abs(w.data[o]) * (name === 'std' || name === 'var' || name.startsWith('norm') ? 1 : 0) + (gsc ? gsc[j] : 0); });
      });
      checkGrad(X, g, gAbs, `${name} grad dims ${JSON.stringify(dims)} keepdim ${keep}`, k);
    })), runs(50));
  });
}

test('property: max(dim)/min(dim) values and first-index indices, argmax/argmin, gradient to the index', () => {
  const arb = shapeArb(1, 4).chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length, max: shape.length - 1 }), fc.boolean(), fc.boolean(), fc.integer()));
  fc.assert(fc.property(arb, ([shape, dim, keep, isMax, seed]) => torch.tidy(() => {
    const d = dim < 0 ? dim + shape.length : dim;
    if (shape[d] === 0) return;
    const r = rng(seed);
    const X = operand(shape, r, r() < 0.3 ? 'special' : 'grid');
    const { values: vals, indices } = isMax ? X.view.max(dim, keep) : X.view.min(dim, keep);
    const G = R.groups(X.ref.shape, [d], keep);
    const idx = G.members.map((m) => R.argmaxOf(m.map((i) => X.ref.data[i]), isMax));
    // values bit for bit, except that a tie of 0 and −0 may give either zero (PyTorch returns the
    // element at the index; here the values come from a separate max/min pass)
    const wantVals = idx.map((j, o) => X.ref.data[G.members[o][j]]);
    assertExact(f32(vals).map((v) => (v === 0 ? 0 : v)), wantVals.map((v) => (v === 0 ? 0 : v)), `${isMax ? 'max' : 'min'} values dim ${dim} (${X.desc})`);
    assert.deepEqual(Array.from(indices.toInt32Array()), idx, `${isMax ? 'max' : 'min'} indices dim ${dim} (${X.desc})`);
    assert.deepEqual(indices.shape, G.outShape);
    const am = isMax ? X.view.argmax(dim, keep) : X.view.argmin(dim, keep);
    assert.deepEqual(Array.from(am.toInt32Array()), idx, `arg${isMax ? 'max' : 'min'} dim ${dim}`);
    if (X.ref.data.some(Number.isNaN)) return;
    const w = backwardWith(vals, r);
    const g = R.nd(X.ref.shape);
    G.members.forEach((m, o) => { g.data[m[idx[o]]] = w.data[o]; });
    checkGrad(X, g, absNd(g), 'max(dim) grad', 4);
  })), runs(80));
});

test('property: cumsum, softmax and logSoftmax along a random dim of strided views, forward and backward', () => {
  const arb = shapeArb(1, 4).chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length, max: shape.length - 1 }), fc.constantFrom('cumsum', 'softmax', 'logSoftmax'), fc.integer()));
  fc.assert(fc.property(arb, ([shape, dim, name, seed]) => torch.tidy(() => {
    const d = dim < 0 ? dim + shape.length : dim;
    const r = rng(seed);
    const X = operand(shape, r, name !== 'cumsum' && r() < 0.4 ? 'shifted' : 'normal');
    const n = shape[d];
    const out = name === 'cumsum' ? X.view.cumsum(dim) : name === 'softmax' ? X.view.softmax(dim) : X.view.logSoftmax(dim);
    const w = backwardWith(out, r);
    let want: Nd, g: Nd, scale: Nd;
    if (name === 'cumsum') {
      want = R.alongDim(X.ref, d, (l) => { let s = 0; return l.map((x) => (s += x)); });
      scale = R.alongDim(absNd(X.ref), d, (l) => { let s = 0; return l.map((x) => (s += x)); });
      g = R.alongDim(w, d, (l) => { let s = 0; return l.reverse().map((x) => (s += x)).reverse(); });
    } else {
      want = R.alongDim(X.ref, d, name === 'softmax' ? R.softmaxLine : R.logSoftmaxLine);
      scale = R.map1(X.ref, () => 4);
      g = R.softmaxBackward(want, w, d, name === 'logSoftmax');
    }
    const k = 8 + 2 * n;
    assertNear(f32(out), want.data, `${name} forward dim ${dim} (${X.desc})`, k, scale.data);
    const gAbs = R.map1(R.alongDim(absNd(w), d, (l) => l.map(() => R.sumOf(l))), (x) => x + 1);
    checkGrad(X, g, gAbs, `${name} grad dim ${dim}`, k);
  })), runs(80));
});

// ---- matmul -----------------------------------------------------------------------------------

/** Matmul operand shapes: 1-D or [..batch, M, K] × [..batch', K, N] with broadcast batch dims. */
const matmulShapes = fc.tuple(
  fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }),
  fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }),
  fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }), fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }), fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
).map(([ra, rb, M, K, N, batch, ma, mb]) => {
  const bat = (mask: boolean[], len: number) => batch.slice(batch.length - len).map((s, i) => (mask[i] ? 1 : s));
  const a = ra === 1 ? [K] : [...bat(ma, Math.min(ra - 2, batch.length)), M, K];
  const b = rb === 1 ? [K] : [...bat(mb, Math.min(rb - 2, batch.length)), K, N];
  return { a, b };
});

test('property: matmul of 1-D, 2-D and batched broadcast operands, contiguous or not, forward and backward', () => {
  fc.assert(fc.property(matmulShapes, fc.integer(), ({ a: sa, b: sb }, seed) => torch.tidy(() => {
    const r = rng(seed);
    const A = operand(sa, r, 'normal'), B = operand(sb, r, 'normal');
    const out = A.view.matmul(B.view);
    const { out: want, scale } = R.matmul(A.ref, B.ref);
    assert.deepEqual(out.shape, want.shape, `matmul shape ${JSON.stringify(sa)} @ ${JSON.stringify(sb)}`);
    const K = sa[sa.length - 1];
    assertNear(f32(out), want.data, `matmul forward ${JSON.stringify(sa)} @ ${JSON.stringify(sb)} (${A.desc} | ${B.desc})`, 4 + 2 * K, scale.data);
    const w = backwardWith(out, r);
    const [ga, gb] = R.matmulGrads(A.ref, B.ref, w);
    const [gaAbs, gbAbs] = R.matmulGrads(absNd(A.ref), absNd(B.ref), absNd(w));
    const k = 8 + 2 * Math.max(R.numelOf(want.shape), K);
    checkGrad(A, ga, gaAbs, 'matmul grad a', k);
    checkGrad(B, gb, gbAbs, 'matmul grad b', k);
  })), runs(120));
});

test('property: bmm of transposed, permuted and expanded batch operands', () => {
  const arb = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer());
  fc.assert(fc.property(arb, ([Bn, M, K, N, seed]) => torch.tidy(() => {
    const r = rng(seed);
    const A = operand([Bn, M, K], r, 'normal'), B = operand([Bn, K, N], r, 'normal');
    const out = A.view.bmm(B.view);
    const { out: want, scale } = R.matmul(A.ref, B.ref);
    assertNear(f32(out), want.data, `bmm forward (${A.desc} | ${B.desc})`, 4 + 2 * K, scale.data);
    const w = backwardWith(out, r);
    const [ga, gb] = R.matmulGrads(A.ref, B.ref, w);
    const [gaAbs, gbAbs] = R.matmulGrads(absNd(A.ref), absNd(B.ref), absNd(w));
    checkGrad(A, ga, gaAbs, 'bmm grad a', 8 + 2 * Bn * Math.max(M, N, K));
    checkGrad(B, gb, gbAbs, 'bmm grad b', 8 + 2 * Bn * Math.max(M, N, K));
  })), runs(60));
});

// ---- movement -----------------------------------------------------------------------------------

test('property: views, reshape, flatten, squeeze/unsqueeze, contiguous, repeat, cat and stack copy exactly and route gradients back', () => {
  fc.assert(fc.property(shapeArb(0, 4), fc.integer(), (shape, seed) => torch.tidy(() => {
    const r = rng(seed);
    const X = operand(shape, r, 'special');
    const n = R.numelOf(shape);
    assertExact(f32(X.view), X.ref.data, `view values (${X.desc})`);
    // a reshape of a non-contiguous view copies; the row-major order is the same
    const flat = X.view.reshape(n === 0 ? [0] : [-1]);
    assertExact(f32(flat), X.ref.data, `reshape(-1) (${X.desc})`);
    assertExact(f32(X.view.flatten()), X.ref.data, 'flatten');
    assertExact(f32(X.view.contiguous()), X.ref.data, 'contiguous');
    const u = X.view.unsqueeze(0).unsqueeze(-1);
    assert.deepEqual(u.shape, [1, ...shape, 1]);
    assertExact(f32(u.squeeze(0).squeeze(-1)), X.ref.data, 'unsqueeze/squeeze');
    const reps = [int(r, 1, 2), ...shape.map(() => int(r, 1, 2))];
    const rep = X.view.repeat(reps);
    const repShape = reps.map((k, i) => k * (i === 0 ? 1 : shape[i - 1]));
    assert.deepEqual(rep.shape, repShape, 'repeat shape');
    const repWant = R.nd(repShape);
    const xi = R.stridesOf(shape);
    R.forEachIndex(repShape, (f, idx) => { let p = 0; for (let d = 0; d < shape.length; d++) p += (idx[d + 1] % shape[d]) * xi[d]; repWant.data[f] = X.ref.data[p]; });
    assertExact(f32(rep), repWant.data, `repeat ${JSON.stringify(reps)}`);
    const catDim = shape.length === 0 ? 0 : int(r, -shape.length, shape.length - 1);
    const cat = shape.length === 0 ? null : torch.cat([X.view, X.view.mul(2)], catDim);
    const st = torch.stack([X.view, X.view], 0);
    assertExact(f32(st), [...X.ref.data, ...X.ref.data], 'stack');
    // backward through everything: each view element gets its weight in x2, 3 per repeat copy,
    // 1 per stack copy and 1 + 2 from cat, then the view's map carries it to the base
    const wx = values(n, r, 'grid');
    let loss = X.view.clone().mul(torch.tensor(wx).reshape(shape)).sum().add(rep.mul(3).sum()).add(st.sum());
    if (cat) loss = loss.add(cat.sum());
    if (!X.ref.data.every(Number.isFinite)) return; // no gradient check through NaN/Inf values
    loss.backward();
    const copies = reps.reduce((a, b) => a * b, 1);
    const g = R.nd(shape, Array.from(wx, (v) => v + 3 * copies + 2 + (cat ? 3 : 0)));
    checkGrad(X, g, absNd(g), 'movement grad', 4 + 2 * copies);
  })), runs(80));
});

test('property: view gradients through expand, flip, narrow, select and permute accumulate onto the base', () => {
  fc.assert(fc.property(shapeArb(0, 4), fc.integer(), (shape, seed) => torch.tidy(() => {
    const r = rng(seed);
    const X = operand(shape, r, 'normal');
    const w = backwardWith(X.view, r);
    checkGrad(X, w, absNd(w), 'view grad', 4 + 2 * R.numelOf(shape));
    // and the reference's scatter is the adjoint of its gather: ⟨gather(x), w⟩ = ⟨x, scatter(w)⟩
    const lhs = R.sumOf(Array.from(X.ref.data, (v, i) => v * w.data[i]));
    const sc = R.scatterView(w, X.map, X.base.length);
    const rhs = R.sumOf(Array.from(X.base, (v, i) => v * sc[i]));
    assert.ok(Math.abs(lhs - rhs) <= 1e-9 * (1 + Math.abs(lhs)), 'reference adjoint');
  })), runs(100));
});

test('property: indexSelect, gather, scatterAdd, tril and triu of strided views, forward exact and gradients routed back', () => {
  const arb = shapeArb(1, 3).chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.integer({ min: -3, max: 3 }), fc.integer()));
  fc.assert(fc.property(arb, ([shape, d, diag, seed]) => torch.tidy(() => {
    const r = rng(seed);
    const X = operand(shape, r, 'grid');
    const n = shape[d];
    const st = R.stridesOf(shape);
    const what = `dim ${d} (${X.desc})`;
    // indexSelect: a 1-D index (repeats allowed) along d
    const m = n === 0 ? 0 : int(r, 0, 5);
    const idx = Array.from({ length: m }, () => int(r, 0, n - 1));
    const isShape = shape.map((s, k) => (k === d ? m : s));
    const sel = X.view.indexSelect(d, torch.tensor(Int32Array.from(idx)));
    const selWant = R.nd(isShape);
    R.forEachIndex(isShape, (f, ix) => { let p = 0; ix.forEach((v, k) => { p += (k === d ? idx[v] : v) * st[k]; }); selWant.data[f] = X.ref.data[p]; });
    assertExact(f32(sel), selWant.data, `indexSelect ${JSON.stringify(idx)} ${what}`);
    // gather: an index of the same rank, no larger than x off dim d
    const gShape = shape.map((s, k) => (k === d ? int(r, 0, 4) : int(r, 0, s)));
    const gIdx = Array.from({ length: R.numelOf(gShape) }, () => (n === 0 ? 0 : int(r, 0, n - 1)));
    const canGather = n > 0 || R.numelOf(gShape) === 0;
    const gat = canGather ? X.view.gather(d, torch.tensor(Int32Array.from(gIdx)).reshape(gShape)) : null;
    const gatWant = R.nd(gShape);
    R.forEachIndex(gShape, (f, ix) => { let p = 0; ix.forEach((v, k) => { p += (k === d ? gIdx[f] : v) * st[k]; }); gatWant.data[f] = X.ref.data[p]; });
    if (gat) assertExact(f32(gat), gatWant.data, `gather ${what}`);
    // scatterAdd of a src of the gather index's shape into a copy of x
    const src = values(R.numelOf(gShape), r, 'grid');
    const srcT = torch.tensor(src).reshape(gShape).requiresGrad_();
    const sa = canGather ? X.view.scatterAdd(d, torch.tensor(Int32Array.from(gIdx)).reshape(gShape), srcT) : null;
    const saWant = R.nd(shape, X.ref.data);
    R.forEachIndex(gShape, (f, ix) => { let p = 0; ix.forEach((v, k) => { p += (k === d ? gIdx[f] : v) * st[k]; }); saWant.data[p] += src[f]; });
    if (sa) assertExact(f32(sa), saWant.data, `scatterAdd ${what}`);
    const tri = shape.length >= 2 ? [X.view.tril(diag), X.view.triu(diag)] : [];
    const rows = shape[shape.length - 2], cols = shape[shape.length - 1];
    const keepTri = (f: number, upper: boolean) => { const i = Math.floor(f / cols) % rows, j = f % cols; return upper ? j - i >= diag : j - i <= diag; };
    tri.forEach((t, u) => assertExact(f32(t), Array.from(X.ref.data, (v, f) => (keepTri(f, u === 1) ? v : 0)), `${u ? 'triu' : 'tril'}(${diag}) ${what}`));
    // backward through all of them at once, weights w per output
    const outs = [sel, ...(gat ? [gat] : []), ...(sa ? [sa] : []), ...tri];
    const ws = outs.map((o) => values(o.numel(), r, 'grid'));
    let loss = X.view.sum().mul(0);
    outs.forEach((o, k) => { loss = loss.add(o.mul(torch.tensor(ws[k]).reshape(o.shape)).sum()); });
    loss.backward();
    const g = R.nd(shape);
    R.forEachIndex(isShape, (f, ix) => { let p = 0; ix.forEach((v, k) => { p += (k === d ? idx[v] : v) * st[k]; }); g.data[p] += ws[0][f]; });
    let k = 1;
    if (gat) { const w = ws[k++]; R.forEachIndex(gShape, (f, ix) => { let p = 0; ix.forEach((v, kk) => { p += (kk === d ? gIdx[f] : v) * st[kk]; }); g.data[p] += w[f]; }); }
    if (sa) {
      const w = ws[k++];
      g.data.forEach((_, f) => { g.data[f] += w[f]; });
      const gs = srcT.grad ? f32(srcT.grad) : new Float32Array(src.length);
      const gsWant = new Array<number>(src.length).fill(0); // d(scatterAdd)/d(src) gathers the output's weight
      R.forEachIndex(gShape, (f, ix) => { let p = 0; ix.forEach((v, kk) => { p += (kk === d ? gIdx[f] : v) * st[kk]; }); gsWant[f] = w[p]; });
      assertExact(gs, gsWant, `scatterAdd grad src ${what}`);
    }
    tri.forEach((_, u) => { const w = ws[k++]; g.data.forEach((_, f) => { if (keepTri(f, u === 1)) g.data[f] += w[f]; }); });
    checkGrad(X, g, R.map1(g, (v) => Math.abs(v) + 8), 'indexing grad', 16);
  })), runs(100));
});

// ---- losses -------------------------------------------------------------------------------------

const LOSS_T: Record<string, (x: Tensor, y: Tensor, red: 'mean' | 'sum' | 'none', p: number) => Tensor> = {
  mse: (x, y, reduction) => torch.F.mseLoss(x, y, { reduction }),
  l1: (x, y, reduction) => torch.F.l1Loss(x, y, { reduction }),
  smoothL1: (x, y, reduction, beta) => torch.F.smoothL1Loss(x, y, { reduction, beta }),
  huber: (x, y, reduction, delta) => torch.F.huberLoss(x, y, { reduction, delta }),
  bce: (x, y, reduction) => torch.F.binaryCrossEntropy(x, y, { reduction }),
  bceLogits: (x, y, reduction) => torch.F.binaryCrossEntropyWithLogits(x, y, { reduction }),
  klDiv: (x, y, reduction) => torch.F.klDiv(x, y, { reduction }),
};

test('property: pointwise losses of strided views, every reduction, gradients of input and target', () => {
  const arb = fc.tuple(shapeArb(0, 3), fc.constantFrom(...Object.keys(LOSS_T)), fc.constantFrom('mean', 'sum', 'none') as fc.Arbitrary<'mean' | 'sum' | 'none'>, fc.integer());
  fc.assert(fc.property(arb, ([shape, name, red, seed]) => torch.tidy(() => {
    const r = rng(seed);
    const p = name === 'smoothL1' || name === 'huber' ? pick(r, [0.5, 1, 2]) : 0;
    const X = operand(shape, r, name === 'bce' ? 'positive' : 'normal');
    const Y = operand(shape, r, name === 'bce' || name === 'bceLogits' || name === 'klDiv' ? 'positive' : 'normal');
    // probabilities in (0, 1) for bce's input and the targets of bce, bceLogits and klDiv
    const squash = (o: Operand) => { const t = o.view.div(3.2); o.ref = R.map1(o.ref, (v) => Math.fround(v / 3.2)); return t; };
    const xv = name === 'bce' ? squash(X) : X.view;
    const yv = name === 'bce' || name === 'bceLogits' || name === 'klDiv' ? squash(Y) : Y.view;
    const L = R.POINT_LOSS[name];
    const out = LOSS_T[name](xv, yv, red, p);
    const n = R.numelOf(shape);
    const per = R.map2(X.ref, Y.ref, (x, y) => L.f(x, y, p));
    const div = red === 'mean' ? n : 1;
    const want = red === 'none' ? per.data : [R.sumOf(Array.from(per.data)) / div];
    const scale = red === 'none' ? R.map2(X.ref, Y.ref, (x, y) => 4 * (Math.abs(x) + Math.abs(y) + 1)).data : [R.sumOf(Array.from(per.data, Math.abs)) / div + 4];
    assertNear(f32(out), want, `${name} ${red} forward (${X.desc})`, 16 + 2 * n, scale);
    const w = backwardWith(out, r);
    const wAt = (i: number) => (red === 'none' ? w.data[i] : w.data[0] / div);
    const gx = R.nd(shape, Array.from(X.ref.data, (x, i) => wAt(i) * L.dx(x, Y.ref.data[i], p)));
    const gy = R.nd(shape, Array.from(X.ref.data, (x, i) => wAt(i) * L.dy(x, Y.ref.data[i], p)));
    // through the ÷3.2 of the squashed operands
    if (name === 'bce') gx.data.forEach((v, i) => { gx.data[i] = v / 3.2; });
    if (yv !== Y.view) gy.data.forEach((v, i) => { gy.data[i] = v / 3.2; });
    const gs = R.map1(gx, (v) => Math.abs(v) + Math.abs(w.data[0] ?? 0));
    checkGrad(X, gx, gs, `${name} ${red} grad input`, 32 + 2 * n);
    checkGrad(Y, gy, R.map1(gy, (v) => Math.abs(v) + 4 * Math.abs(w.data[0] ?? 0)), `${name} ${red} grad target`, 32 + 2 * n);
  })), runs(150));
});

test('property: BCE with weight, BCE-with-logits with weight and posWeight, KL divergence with logTarget and batchmean', () => {
  const arb = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom('bce', 'bceLogits', 'klLog', 'klBatchmean'),
    fc.constantFrom('mean', 'sum', 'none') as fc.Arbitrary<'mean' | 'sum' | 'none'>, fc.boolean(), fc.integer());
  fc.assert(fc.property(arb, ([N, C, name, red, weighted, seed]) => torch.tidy(() => {
    const r = rng(seed);
    const X = operand([N, C], r, name === 'bce' ? 'positive' : 'normal');
    const Y = operand([N, C], r, name === 'klLog' ? 'normal' : 'positive');
    const squash = (o: Operand) => { const t = o.view.div(3.2); o.ref = R.map1(o.ref, (v) => Math.fround(v / 3.2)); return t; };
    const xv = name === 'bce' ? squash(X) : X.view;
    const yv = name === 'bce' || name === 'bceLogits' || name === 'klBatchmean' ? squash(Y) : Y.view;
    const wv = Array.from(values(C, r, 'positive')), pw = Array.from(values(C, r, 'positive'));
    const wT = torch.tensor(Float32Array.from(wv)), pT = torch.tensor(Float32Array.from(pw));
    let out: Tensor;
    let f: (x: number, y: number, c: number) => number, dx: typeof f, dy: typeof f;
    const wc = (c: number) => (weighted ? wv[c] : 1);
    if (name === 'bce') {
      out = torch.F.binaryCrossEntropy(xv, yv, { reduction: red, ...(weighted ? { weight: wT } : {}) });
      const L = R.POINT_LOSS.bce;
      f = (x, y, c) => wc(c) * L.f(x, y, 0); dx = (x, y, c) => wc(c) * L.dx(x, y, 0) / 3.2; dy = (x, y, c) => wc(c) * L.dy(x, y, 0) / 3.2;
    } else if (name === 'bceLogits') {
      out = torch.F.binaryCrossEntropyWithLogits(xv, yv, { reduction: red, posWeight: pT, ...(weighted ? { weight: wT } : {}) });
      // PyTorch: (1 − y)·x + (1 + (p − 1)·y)·softplus(−x), times the weight
      f = (x, y, c) => wc(c) * ((1 - y) * x + (1 + (pw[c] - 1) * y) * R.softplus(-x));
      dx = (x, y, c) => wc(c) * ((1 - y) - (1 + (pw[c] - 1) * y) * R.sigmoid(-x));
      dy = (x, _y, c) => wc(c) * (-x + (pw[c] - 1) * R.softplus(-x)) / 3.2;
    } else if (name === 'klLog') {
      out = torch.F.klDiv(xv, yv, { reduction: red, logTarget: true });
      f = (x, t) => Math.exp(t) * (t - x); dx = (_x, t) => -Math.exp(t); dy = (x, t) => Math.exp(t) * (t - x + 1);
    } else {
      out = torch.F.klDiv(xv, yv, { reduction: red === 'mean' ? 'batchmean' : red });
      const L = R.POINT_LOSS.klDiv;
      f = (x, y) => L.f(x, y, 0); dx = (x, y) => L.dx(x, y, 0); dy = (x, y) => L.dy(x, y, 0) / 3.2;
    }
    const div = red !== 'mean' ? 1 : name === 'klBatchmean' ? N : N * C;
    const per = Array.from(X.ref.data, (x, i) => f(x, Y.ref.data[i], i % C));
    const want = red === 'none' ? per : [R.sumOf(per) / div];
    const scale = red === 'none' ? per.map((v, i) => 4 * (1 + Math.abs(X.ref.data[i]) + Math.abs(v))) : [R.sumOf(per.map(Math.abs)) / div + 4 * N * C / div];
    assertNear(f32(out), want, `${name} ${red} w=${weighted} (${X.desc})`, 16 + 2 * N * C, scale);
    const w = backwardWith(out, r);
    const s = (i: number) => (red === 'none' ? w.data[i] : w.data[0] / div);
    const gx = R.nd([N, C], Array.from(X.ref.data, (x, i) => s(i) * dx(x, Y.ref.data[i], i % C) / (name === 'bce' ? 1 : 1)));
    const gy = R.nd([N, C], Array.from(X.ref.data, (x, i) => s(i) * dy(x, Y.ref.data[i], i % C)));
    const wMax = Math.max(...Array.from(w.data, Math.abs), 0);
    checkGrad(X, gx, R.map1(gx, (v) => Math.abs(v) + 4 * wMax), `${name} ${red} grad input`, 32 + 2 * N * C);
    checkGrad(Y, gy, R.map1(gy, (v) => Math.abs(v) + 4 * wMax), `${name} ${red} grad target`, 32 + 2 * N * C);
  })), runs(120));
});

test('property: cross-entropy and NLL with class indices, class weights, label smoothing and ignoreIndex', () => {
  const arb = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom('mean', 'sum', 'none') as fc.Arbitrary<'mean' | 'sum' | 'none'>,
    fc.boolean(), fc.constantFrom(0, 0.1), fc.boolean(), fc.boolean(), fc.integer());
  fc.assert(fc.property(arb, ([N, C, red, weighted, smoothing, ignore, nll, seed]) => torch.tidy(() => {
    const r = rng(seed);
    if (nll && smoothing) return;
    const X = operand([N, C], r, pick(r, ['grid', 'normal', 'normal', 'shifted'] as Kind[]));
    const target = Array.from({ length: N }, () => int(r, 0, C - 1));
    const ignoreIndex = ignore ? target[0] : -100;
    const weight = weighted ? Array.from(values(C, r, 'positive')) : null;
    const opts = { reduction: red, ...(weight ? { weight: torch.tensor(Float32Array.from(weight)) } : {}), ...(ignore ? { ignoreIndex } : {}) };
    const tt = torch.tensor(Int32Array.from(target)).reshape([N]);
    const out = nll ? torch.F.nllLoss(X.view, tt, opts) : torch.F.crossEntropy(X.view, tt, { ...opts, ...(smoothing ? { labelSmoothing: smoothing } : {}) });
    // nll on raw inputs: loss = −w_t·x_t
    const logits = X.ref;
    let loss: number[], rowW: number[], grad: (s: number[]) => Nd;
    if (nll) {
      loss = target.map((t, n) => -(weight ? weight[t] : 1) * logits.data[n * C + t]);
      rowW = target.map((t) => (weight ? weight[t] : 1));
      grad = (s) => { const g = R.nd([N, C]); target.forEach((t, n) => { g.data[n * C + t] = -s[n] * rowW[n]; }); return g; };
    } else ({ loss, w: rowW, grad } = R.crossEntropyRows(logits, target, weight, smoothing));
    const keep = target.map((t) => (t === ignoreIndex ? 0 : 1));
    loss = loss.map((l, n) => l * keep[n]);
    // 'mean' divides by the summed weights of the kept targets (PyTorch), label smoothing's term included in the same denominator
    const denom = R.sumOf(rowW.map((w, n) => w * keep[n]));
    const want = red === 'none' ? loss : red === 'sum' ? [R.sumOf(loss)] : [R.sumOf(loss) / denom];
    // the loss is shift-invariant per row, so its condition is the rows' spread, not |x| (±1e4 logits)
    const spread = nll ? R.sumOf(Array.from(X.ref.data, Math.abs)) : R.sumOf(Array.from({ length: N }, (_, n) => { const row = Array.from(X.ref.data.subarray(n * C, n * C + C)); return Math.max(...row) - Math.min(...row); }));
    const scale = want.map(() => 8 * (1 + C) * (N + spread) * (red === 'mean' && denom > 0 ? 1 / denom : 1));
    assertNear(f32(out), want, `${nll ? 'nll' : 'crossEntropy'} ${red} w=${weighted} ls=${smoothing} ignore=${ignore} forward (${X.desc})`, 16, scale);
    if (red === 'mean' && denom === 0) return; // NaN, as PyTorch
    const w = backwardWith(out, r);
    const s = target.map((_, n) => keep[n] * (red === 'none' ? w.data[n] : red === 'sum' ? w.data[0] : w.data[0] / denom));
    const g = grad(s);
    checkGrad(X, g, R.map1(g, (v) => Math.abs(v) + 4 * Math.max(...Array.from(w.data, Math.abs), 0)), `${nll ? 'nll' : 'crossEntropy'} grad`, 32);
  })), runs(150));
});

test('property: cross-entropy with probability targets (weights, label smoothing) and over [N, C, d] views, gradients of logits and targets', () => {
  const arb = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 3 }),
    fc.constantFrom('mean', 'sum', 'none') as fc.Arbitrary<'mean' | 'sum' | 'none'>, fc.boolean(), fc.constantFrom(0, 0.2), fc.integer());
  fc.assert(fc.property(arb, ([N, C, D, red, weighted, smoothing, seed]) => torch.tidy(() => {
    const r = rng(seed);
    // logits [N, C] or [N, C, D] (classes in dim 1, as PyTorch), as strided views
    const shape = D === 0 ? [N, C] : [N, C, D];
    const X = operand(shape, r, pick(r, ['normal', 'shifted'] as Kind[]));
    const T = operand(shape, r, 'positive');
    const weight = weighted ? Array.from(values(C, r, 'positive')) : null;
    const opts = { reduction: red, ...(weight ? { weight: torch.tensor(Float32Array.from(weight)) } : {}), ...(smoothing ? { labelSmoothing: smoothing } : {}) };
    const out = torch.F.crossEntropy(X.view, T.view, opts);
    // reference rows: one per (n, d), classes c at flat (n·C + c)·D' + d
    const Dp = Math.max(D, 1), rows = N * Dp;
    const at = (row: number, c: number) => (Math.floor(row / Dp) * C + c) * Dp + (row % Dp);
    const loss: number[] = [], gx = R.nd(shape), gt = R.nd(shape);
    const lossShape = D === 0 ? [N] : [N, D];
    const per: { lp: number[]; q: number[] }[] = [];
    for (let row = 0; row < rows; row++) {
      const lp = R.logSoftmaxLine(Array.from({ length: C }, (_, c) => X.ref.data[at(row, c)]));
      const q = Array.from({ length: C }, (_, c) => ((1 - smoothing) * T.ref.data[at(row, c)] + smoothing / C) * (weight ? weight[c] : 1));
      per.push({ lp, q });
      loss.push(-R.sumOf(lp.map((v, c) => v * q[c])));
    }
    // PyTorch: with probability targets 'mean' divides by the number of rows, whatever the weights
    const want = red === 'none' ? loss : red === 'sum' ? [R.sumOf(loss)] : [R.sumOf(loss) / rows];
    const spread = R.sumOf(per.map(({ lp }) => -Math.min(...lp)));
    const scale = want.map(() => 16 * (1 + C) * (rows + spread) * R.sumOf(Array.from(T.ref.data)) / Math.max(1, red === 'mean' ? rows : 1));
    assertNear(f32(out), want, `crossEntropy probabilities ${JSON.stringify(shape)} ${red} w=${weighted} ls=${smoothing} (${X.desc})`, 16, scale);
    assert.deepEqual(out.shape, red === 'none' ? lossShape : []);
    const w = backwardWith(out, r);
    per.forEach(({ lp, q }, row) => {
      const s = red === 'none' ? w.data[row] : red === 'sum' ? w.data[0] : w.data[0] / rows;
      const sq = R.sumOf(q);
      for (let c = 0; c < C; c++) {
        gx.data[at(row, c)] = s * (Math.exp(lp[c]) * sq - q[c]);
        gt.data[at(row, c)] = -s * (1 - smoothing) * (weight ? weight[c] : 1) * lp[c];
      }
    });
    const wMax = Math.max(...Array.from(w.data, Math.abs), 0);
    checkGrad(X, gx, R.map1(gx, (v) => Math.abs(v) + 8 * wMax), 'crossEntropy probabilities grad logits', 32);
    checkGrad(T, gt, R.map1(gt, (v) => Math.abs(v) + 8 * wMax * (1 + spread)), 'crossEntropy probabilities grad targets', 32);
  })), runs(100));
});

test('property: cross-entropy with class indices over [N, C, d] strided views', () => {
  const arb = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('mean', 'sum', 'none') as fc.Arbitrary<'mean' | 'sum' | 'none'>, fc.integer());
  fc.assert(fc.property(arb, ([N, C, D, red, seed]) => torch.tidy(() => {
    const r = rng(seed);
    const X = operand([N, C, D], r, 'normal');
    const target = Array.from({ length: N * D }, () => int(r, 0, C - 1));
    const out = torch.F.crossEntropy(X.view, torch.tensor(Int32Array.from(target)).reshape([N, D]), { reduction: red });
    const at = (n: number, c: number, d: number) => (n * C + c) * D + d;
    const loss: number[] = [], g = R.nd([N, C, D]);
    const lps: number[][] = [];
    for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) {
      const lp = R.logSoftmaxLine(Array.from({ length: C }, (_, c) => X.ref.data[at(n, c, d)]));
      lps.push(lp);
      loss.push(-lp[target[n * D + d]]);
    }
    const want = red === 'none' ? loss : red === 'sum' ? [R.sumOf(loss)] : [R.sumOf(loss) / (N * D)];
    assertNear(f32(out), want, `crossEntropy [${N}, ${C}, ${D}] ${red} (${X.desc})`, 16 * (1 + C), want.map(() => 8 * (1 + R.sumOf(loss))));
    const w = backwardWith(out, r);
    lps.forEach((lp, row) => {
      const n = Math.floor(row / D), d = row % D;
      const s = red === 'none' ? w.data[row] : red === 'sum' ? w.data[0] : w.data[0] / (N * D);
      for (let c = 0; c < C; c++) g.data[at(n, c, d)] = s * (Math.exp(lp[c]) - (c === target[row] ? 1 : 0));
    });
    checkGrad(X, g, R.map1(g, (v) => Math.abs(v) + 4 * Math.max(...Array.from(w.data, Math.abs))), 'crossEntropy [N, C, d] grad', 32);
  })), runs(80));
});

// ---- special values as PyTorch -------------------------------------------------------------------

test('special values: reductions propagate NaN and ±Infinity as PyTorch', () => {
  fc.assert(fc.property(shapeArb(1, 3), fc.integer(), (shape, seed) => torch.tidy(() => {
    const r = rng(seed);
    const X = operand(shape, r, 'special', false);
    const v = Array.from(X.ref.data);
    const all = (t: Tensor) => f32(t)[0];
    const same = (got: number, want: number, what: string) => assert.ok(Object.is(got, Math.fround(want)) || (got === 0 && want === 0) || (Math.abs(got - want) <= 1e-5 * Math.abs(want)), `${what}: ${got} vs ${want} (${JSON.stringify(v)})`);
    // huge finite values (±3e38) overflow or cancel differently in each summation order: then only a NaN operand (or ±∞ together) fixes the result
    const huge = v.some((x) => Number.isFinite(x) && Math.abs(x) > 1e30);
    if (!huge) {
      const want = R.sumOf(v), got = all(X.view.sum());
      const tol = 2 * v.length * EPS * R.sumOf(v.filter(Number.isFinite).map(Math.abs)); // ±1e4 terms cancel at their own scale
      if (Number.isFinite(want)) assert.ok(Math.abs(got - want) <= tol, `sum: ${got} vs ${want} (tolerance ${tol}) ${JSON.stringify(v)}`);
      else same(got, want, 'sum');
    }
    else if (v.some(Number.isNaN) || (v.includes(Infinity) && v.includes(-Infinity))) assert.ok(Number.isNaN(all(X.view.sum())), 'sum NaN');
    if (v.length) {
      same(all(X.view.amax()), R.maxOf(v), 'amax');
      same(all(X.view.amin()), R.minOf(v), 'amin');
      same(all(X.view.max()), R.maxOf(v), 'max');
      assert.equal(X.view.argmax().item(), R.argmaxOf(v), `argmax ${JSON.stringify(v)}`);
      assert.equal(X.view.argmin().item(), R.argmaxOf(v, false), `argmin ${JSON.stringify(v)}`);
      const lse = all(X.view.logsumexp([...shape.keys()]));
      const want = R.logsumexpOf(v);
      if (!Number.isFinite(want) || Math.abs(want) > 1e3) same(lse, want, 'logsumexp');
      else assert.ok(Math.abs(lse - want) <= 1e-5 * (1 + Math.abs(want)), `logsumexp ${lse} vs ${want}`);
    }
    if (v.some(Number.isNaN)) assert.ok(Number.isNaN(all(X.view.mean())), 'mean with NaN');
  })), runs(100));
});

test('property: sum, amax, amin, logsumexp, cumsum and softmax over dims propagate NaN and ±Infinity as PyTorch', () => {
  const arb = shapeArb(1, 4).chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.boolean(), fc.integer()));
  fc.assert(fc.property(arb, ([shape, d, keep, seed]) => torch.tidy(() => {
    const r = rng(seed);
    const X = operand(shape, r, 'ieee', false);
    const G = R.groups(X.ref.shape, [d], keep);
    const vals = G.members.map((m) => m.map((i) => X.ref.data[i]));
    const what = `dim ${d} (${X.desc}) values ${JSON.stringify(Array.from(X.ref.data))}`;
    const scale = vals.map((v) => R.sumOf(v.filter(Number.isFinite).map(Math.abs)));
    assertNear(f32(X.view.sum(d, keep)), vals.map(R.sumOf), `sum ${what}`, 8 + 2 * shape[d], scale, 1e-37);
    if (shape[d] > 0) {
      assertExact(f32(X.view.amax(d, keep)), vals.map(R.maxOf), `amax ${what}`);
      assertExact(f32(X.view.amin(d, keep)), vals.map(R.minOf), `amin ${what}`);
    }
    assertNear(f32(X.view.logsumexp(d, keep)), vals.map(R.logsumexpOf), `logsumexp ${what}`, 8 + 2 * shape[d], vals.map(() => 4), 1e-37);
    const cs = R.alongDim(X.ref, d, (l) => { let acc = 0; return l.map((x) => (acc += x)); });
    const csScale = R.alongDim(R.map1(X.ref, (v) => (Number.isFinite(v) ? Math.abs(v) : 0)), d, (l) => { let acc = 0; return l.map((x) => (acc += x)); });
    assertNear(f32(X.view.cumsum(d)), cs.data, `cumsum ${what}`, 8 + 2 * shape[d], csScale.data, 1e-37);
    assertNear(f32(X.view.softmax(d)), R.alongDim(X.ref, d, R.softmaxLine).data, `softmax ${what}`, 8 + 2 * shape[d], X.ref.data.map(() => 1), 1e-37);
    assertNear(f32(X.view.logSoftmax(d)), R.alongDim(X.ref, d, R.logSoftmaxLine).data, `logSoftmax ${what}`, 8 + 2 * shape[d], X.ref.data.map(() => 4), 1e-37);
  })), runs(100));
});

test('special values: softmax, logSoftmax and logsumexp of rows with ±Infinity, NaN and ±1e4', () => {
  const rows: number[][] = [
    [-Infinity, 0, 1], [-Infinity, -Infinity, -Infinity], [Infinity, 0, 1], [Infinity, Infinity], [NaN, 0, 1],
    [1e4, -1e4, 0], [-1e4, -1e4], [3e38, 3e38], [-3e38, 0], [-0, 0],
  ];
  torch.tidy(() => {
    for (const row of rows) {
      const x = torch.tensor(Float32Array.from(row));
      const ref = Float32Array.from(row);
      const sm = R.softmaxLine(Array.from(ref)), lsm = R.logSoftmaxLine(Array.from(ref));
      const lse = R.logsumexpOf(Array.from(ref));
      // PyTorch: softmax uses max-subtraction, so a +inf or NaN entry makes the row NaN; an all −inf row is NaN too
      const nanRow = row.some(Number.isNaN) || row.some((v) => v === Infinity) || row.every((v) => v === -Infinity);
      const s = f32(x.softmax(0)), l = f32(x.logSoftmax(0));
      for (let i = 0; i < row.length; i++) {
        if (nanRow) { assert.ok(Number.isNaN(s[i]) && Number.isNaN(l[i]), `softmax ${JSON.stringify(row)}: ${s} / ${l}`); continue; }
        assert.ok(Math.abs(s[i] - sm[i]) <= 1e-6, `softmax ${JSON.stringify(row)} [${i}] ${s[i]} vs ${sm[i]}`);
        assert.ok(Object.is(l[i], lsm[i]) || Math.abs(l[i] - lsm[i]) <= 1e-6 * (1 + Math.abs(lsm[i])), `logSoftmax ${JSON.stringify(row)} [${i}] ${l[i]} vs ${lsm[i]}`);
      }
      const got = x.logsumexp(0).item();
      // PyTorch's logsumexp: all −inf → −inf, any +inf → +inf, NaN → NaN
      assert.ok(Object.is(got, Math.fround(lse)) || Math.abs(got - lse) <= 1e-6 * Math.abs(lse), `logsumexp ${JSON.stringify(row)}: ${got} vs ${lse}`);
    }
  });
});

test('special values: losses on logits of ±1e4 stay finite with PyTorch\'s values and gradients', () => {
  torch.tidy(() => {
    const logits = torch.tensor([[1e4, -1e4, 0], [-1e4, 1e4, 0], [0, 0, 1e4]]).requiresGrad_();
    const target = torch.tensor([1, 1, 0], { dtype: 'int32' });
    const ce = torch.F.crossEntropy(logits, target, { reduction: 'none' });
    // row 0: target logit −1e4 against 1e4 → 2e4; row 1: target is the max → 0; row 2: 1e4
    assert.deepEqual(Array.from(f32(ce)), [20000, -0, 10000]); // −log_softmax of 0 is −0, as PyTorch prints
    ce.sum().backward();
    assert.deepEqual(Array.from(f32(logits.grad!)), [1, -1, 0, 0, 0, 0, -1, 0, 1]);
    const z = torch.tensor([1e4, -1e4, 1e4, -1e4, 0]).requiresGrad_();
    const y = torch.tensor([1, 1, 0, 0, 1]);
    const bce = torch.F.binaryCrossEntropyWithLogits(z, y, { reduction: 'none' });
    assert.deepEqual(Array.from(f32(bce)), [0, 10000, 10000, 0, Math.fround(Math.LN2)]);
    bce.sum().backward();
    assert.deepEqual(Array.from(f32(z.grad!)), [0, -1, 1, 0, -0.5]);
    assert.deepEqual(Array.from(f32(torch.tensor([-1e4, 1e4, -100, -0]).sigmoid())), [0, 1, Math.fround(R.sigmoid(-100)), 0.5]);
    // BCE on probabilities 0 and 1: PyTorch clamps the log at −100
    const pr = torch.F.binaryCrossEntropy(torch.tensor([0, 1, 0, 1]), torch.tensor([1, 0, 0, 1]), { reduction: 'none' });
    assert.deepEqual(Array.from(f32(pr)), [100, 100, 0, -0]);
  });
});

test('the reference\'s own gradients agree with float64 central differences', () => {
  fc.assert(fc.property(fc.integer(), (seed) => {
    const r = rng(seed);
    const x = Float64Array.from(values(5, r, 'normal')), y = Float64Array.from(values(5, r, 'positive')).map((v) => v / 3.2);
    for (const [name, { f, df }] of Object.entries(R.UNARY)) {
      if (['abs', 'sign', 'relu', 'leakyRelu'].includes(name)) continue;
      const xs = POSITIVE_ONLY.has(name) ? x.map((v) => Math.abs(v) + 0.2) : x;
      refFiniteDiff((v) => R.sumOf(Array.from(v, (t) => f(t))), xs, Array.from(xs, (t) => df(t)), `unary ${name}`);
    }
    for (const [name, L] of Object.entries(R.POINT_LOSS)) {
      const xs = name === 'bce' ? y.map((v) => 1 - v * 0.9) : x;
      refFiniteDiff((v) => R.sumOf(Array.from(v, (t, i) => L.f(t, y[i], 1))), xs, Array.from(xs, (t, i) => L.dx(t, y[i], 1)), `loss ${name} dx`);
      refFiniteDiff((v) => R.sumOf(Array.from(v, (t, i) => L.f(xs[i], t, 1))), y, Array.from(y, (t, i) => L.dy(xs[i], t, 1)), `loss ${name} dy`);
    }
    const logits = R.nd([1, 5], x), tgt = [int(r, 0, 4)], wt = Array.from(y);
    const ce = (v: Float64Array) => R.crossEntropyRows(R.nd([1, 5], v), tgt, wt, 0.1).loss[0];
    refFiniteDiff(ce, x, R.crossEntropyRows(logits, tgt, wt, 0.1).grad([1]).data, 'crossEntropy');
    const sm = (v: Float64Array) => R.sumOf(R.softmaxLine(Array.from(v)).map((s, i) => s * y[i]));
    refFiniteDiff(sm, x, R.softmaxBackward(R.nd([5], R.softmaxLine(Array.from(x))), R.nd([5], y), 0, false).data, 'softmax');
    const lsm = (v: Float64Array) => R.sumOf(R.logSoftmaxLine(Array.from(v)).map((s, i) => s * y[i]));
    refFiniteDiff(lsm, x, R.softmaxBackward(R.nd([5], R.logSoftmaxLine(Array.from(x))), R.nd([5], y), 0, true).data, 'logSoftmax');
    const a = R.nd([2, 3], x.slice(0, 5).length === 5 ? [...x, 0.5] : x), b = R.nd([3, 2], [...y, 0.25]);
    const gO = R.nd([2, 2], [0.3, -1.1, 0.7, 2]);
    const [ga] = R.matmulGrads(a, b, gO);
    refFiniteDiff((v) => R.sumOf(Array.from(R.matmul(R.nd([2, 3], v), b).out.data, (t, i) => t * gO.data[i])), a.data, ga.data, 'matmul');
  }), runs(30));
});

test('finite differences: random compositions of views and ops, float32 autograd against float32 differences', () => {
  fc.assert(fc.property(shapeArb(1, 3).filter((s) => R.numelOf(s) > 0 && R.numelOf(s) <= 24), fc.integer(), (shape, seed) => {
    const r = rng(seed);
    const { base, ops } = recipe(shape, r);
    const x0 = values(R.numelOf(base), r, 'normal');
    const wv = torch.keep(torch.tensor(values(R.numelOf(shape), r, 'normal')).reshape(shape));
    const fn = (x: Tensor) => applyOps(x, ops).tanh().mul(applyOps(x, ops).sigmoid()).softmax(-1).mul(wv).sum();
    try {
      const grad = torch.tidy(() => {
        const x = torch.tensor(x0).reshape(base).detach().requiresGrad_();
        fn(x).backward();
        return Array.from(f32(x.grad!));
      });
      const h = 1e-2;
      for (let i = 0; i < x0.length; i++) {
        const p = Float32Array.from(x0), m = Float32Array.from(x0);
        p[i] += h; m[i] -= h;
        const fd = torch.tidy(() => (fn(torch.tensor(p).reshape(base)).item() - fn(torch.tensor(m).reshape(base)).item()) / (2 * h));
        assert.ok(Math.abs(fd - grad[i]) <= 2e-2 * (1 + Math.abs(fd)), `d/dx[${i}] autograd ${grad[i]} vs finite difference ${fd} (${JSON.stringify({ base, ops })})`);
      }
    } finally { wv.dispose(); }
  }), runs(25));
});
