// Every float32 unary kernel against an independent float64 reference (Math.* and the series /
// continued-fraction erf of tests/support/reference.ts; nothing from src/ or assembly/): a sweep of
// float32 values (every 2^14-th bit pattern of each sign, so every binade, denormals included; a
// dense grid on [−20, 20]; the neighbourhoods of branch points and overflow/underflow edges),
// forward and gradient. Each function states its worst error: in float32 ulps of the exact
// result, plus (for gradients PyTorch computes from the rounded output, y·(1 − y), 1 − y²) an
// absolute term. Special values (NaN, ±Infinity, ±0, denormals, ±1e4, −100) must give what
// PyTorch 1.13 gives on CPU: the table below was printed by PyTorch (the comment above it says
// how), except that wasmtorch keeps denormal and tail results PyTorch rounds to 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import * as R from './support/reference.js';

const EPS = R.EPS32;
const SLOPE = Math.fround(0.01); // leakyRelu's default slope as the kernel holds it (float32), as PyTorch's CPU kernel

/** The sweep: every 2^14-th float32 bit pattern of each sign, a dense grid, and edges. */
function sweep(): Float32Array {
  const xs: number[] = [];
  const u = new Uint32Array(1), f = new Float32Array(u.buffer);
  for (let b = 0; b < 0x7f800000; b += 0x4000) { u[0] = b; xs.push(f[0], -f[0]); }
  for (let b = 0; b < 4096; b++) { u[0] = b; xs.push(f[0], -f[0]); } // the smallest denormals
  for (let i = -20 * 512; i <= 20 * 512; i++) xs.push(i / 512);
  // around branch points and the edges where results overflow, underflow or saturate
  const edges = [0, 1, -1, 0.5, 2, 88.72, -87.33, -103.97, 9.01, -9.01, 15.9, 17.33, -5.9, 0.75, -0.75, Math.PI, Math.PI / 2, 1e-4, 1e-20, 2 ** 28, 2 ** 89, 2 ** 90];
  for (const e of edges) {
    u[0] = 0; f[0] = e;
    const c = u[0];
    for (let d = -64; d <= 64; d++) { u[0] = c + d; if (Number.isFinite(f[0])) xs.push(f[0], -f[0]); }
  }
  return Float32Array.from(xs);
}
const X = sweep();

const FN: Record<string, (t: Tensor) => Tensor> = {
  neg: (t) => t.neg(), exp: (t) => t.exp(), log: (t) => t.log(), sqrt: (t) => t.sqrt(), rsqrt: (t) => t.rsqrt(),
  abs: (t) => t.abs(), sign: (t) => t.sign(), sin: (t) => t.sin(), cos: (t) => t.cos(), square: (t) => t.square(),
  reciprocal: (t) => t.reciprocal(), relu: (t) => t.relu(), leakyRelu: (t) => t.leakyRelu(0.01), sigmoid: (t) => t.sigmoid(),
  tanh: (t) => t.tanh(), gelu: (t) => t.gelu(),
};

/** The reference with the kernels' float32 constants (leakyRelu's slope). */
const ref = (name: string) => (name === 'leakyRelu'
  ? { f: (x: number) => R.UNARY.leakyRelu.f(x, SLOPE), df: (x: number) => R.UNARY.leakyRelu.df(x, SLOPE) }
  : R.UNARY[name]);

/**
 * Stated worst errors. `ulp`: forward, in ulps of the exact result. `gUlp` + `gAbs(x)`: the
 * gradient (for an upstream gradient of 1), in ulps plus an absolute term where PyTorch's formula
 * works from the rounded output (the output's half-ulp error becomes an absolute error there).
 */
const BOUNDS: Record<string, { ulp: number; gUlp: number; gAbs?: (x: number) => number }> = {
  neg: { ulp: 0, gUlp: 0 }, abs: { ulp: 0, gUlp: 0 }, sign: { ulp: 0, gUlp: 0 }, relu: { ulp: 0, gUlp: 0 },
  leakyRelu: { ulp: 0.5, gUlp: 0 }, square: { ulp: 0.5, gUlp: 0 }, reciprocal: { ulp: 0.5, gUlp: 2 },
  sqrt: { ulp: 0.5, gUlp: 1.5 }, exp: { ulp: 1, gUlp: 1 }, log: { ulp: 1, gUlp: 0.5 }, rsqrt: { ulp: 1.5, gUlp: 5 },
  sin: { ulp: 1, gUlp: 1 }, cos: { ulp: 1, gUlp: 1 },
  sigmoid: { ulp: 2, gUlp: 4, gAbs: () => 2 * 2 ** -24 },
  tanh: { ulp: 2, gUlp: 4, gAbs: () => 4 * 2 ** -24 },
  // Φ(x) + x·φ(x) crosses 0 near x = −0.75: the error is relative to the two terms, not the sum
  gelu: { ulp: 3, gUlp: 4, gAbs: (x) => 4 * EPS * (R.normCdf(x) + Math.abs(x) * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI)) },
};

function forwardAndGrad(name: string, x: Float32Array): { y: Float32Array; g: Float32Array } {
  return torch.tidy(() => {
    const t = torch.tensor(x).requiresGrad_();
    const y = FN[name](t);
    y.backward(torch.onesLike(y));
    return { y: y.toFloat32Array(), g: t.grad!.toFloat32Array() };
  });
}

for (const name of Object.keys(FN)) {
  test(`unary ${name}: forward within ${BOUNDS[name].ulp} ulp and gradient within ${BOUNDS[name].gUlp} ulp of float64 over the sweep`, () => {
    const { f, df } = ref(name);
    const { y, g } = forwardAndGrad(name, X);
    const b = BOUNDS[name];
    let worst = 0, worstAt = 0, worstG = 0, worstGAt = 0;
    for (let i = 0; i < X.length; i++) {
      const x = X[i];
      const want = f(x);
      const d = R.ulpDistance(y[i], want);
      if (d > worst) { worst = d; worstAt = x; }
      if (!(d <= b.ulp)) assert.fail(`${name}(${x}) = ${y[i]}, expected ${want} (${d.toPrecision(3)} ulp > ${b.ulp})`);
      const wg = df(x);
      if (!Number.isFinite(wg) || !Number.isFinite(want)) continue; // overflowed results: the special-value table decides
      const err = Math.abs(g[i] - wg);
      const tol = b.gUlp * R.ulpOf(wg) + (b.gAbs ? b.gAbs(x) : 0);
      const dg = err / R.ulpOf(wg);
      if (err > tol && Math.abs(g[i]) !== Infinity) {
        assert.fail(`${name}'(${x}) = ${g[i]}, expected ${wg} (error ${err.toExponential(2)} > ${tol.toExponential(2)})`);
      }
      if (Math.fround(wg) !== Infinity && !(Math.abs(g[i]) <= 3.5e38 || Math.fround(wg) === g[i])) assert.fail(`${name}'(${x}) = ${g[i]}, expected ${wg}`);
      if (err <= tol && dg > worstG && !b.gAbs) { worstG = dg; worstGAt = x; }
    }
    // the measured worst cases, for the record (node --test prints diagnostics)
    console.log(`${name}: ${X.length} values, worst forward ${worst.toPrecision(3)} ulp at ${worstAt}${b.gAbs ? '' : `, worst gradient ${worstG.toPrecision(3)} ulp at ${worstGAt}`}`);
  });
}

// ---- special values, as PyTorch 1.13 (CPU) gives them --------------------------------------------
// Printed by PyTorch with x = tensor(SPECIAL_X, requires_grad=True); y = f(x); y.backward(ones):
// y and x.grad. Where PyTorch's float32 formula underflows to 0 or a denormal (sigmoid(−100),
// gelu far left, denormal gelu/square), wasmtorch may give the nearby exact value instead: below
// the smallest normal float32 (2^−126) any same-signed value is accepted.
const SPECIAL_X = [NaN, Infinity, -Infinity, -0, 0, 1.401298464324817e-45, -1.401298464324817e-45, -10000.0, 10000.0, -1.0, 1.0, -100.0, 9.99994610111476e-41, 88.80000305175781, -104.0, 0.5];
const PYTORCH: Record<string, { y: number[]; g: number[] }> = {
  neg: { y: [NaN, -Infinity, Infinity, 0, -0, -1.401298464324817e-45, 1.401298464324817e-45, 10000.0, -10000.0, 1.0, -1.0, 100.0, -9.99994610111476e-41, -88.80000305175781, 104.0, -0.5], g: [-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0] },
  exp: { y: [NaN, Infinity, 0, 1.0, 1.0, 1.0, 1.0, 0, Infinity, 0.3678794503211975, 2.7182817459106445, 3.783505853677006e-44, 1.0, Infinity, 0, 1.6487212181091309], g: [NaN, Infinity, 0, 1.0, 1.0, 1.0, 1.0, 0, Infinity, 0.3678794503211975, 2.7182817459106445, 3.783505853677006e-44, 1.0, Infinity, 0, 1.6487212181091309] },
  log: { y: [NaN, Infinity, NaN, -Infinity, -Infinity, -103.2789306640625, NaN, NaN, 9.21034049987793, NaN, 0, NaN, -92.10340881347656, 4.486386775970459, NaN, -0.6931471824645996], g: [NaN, 0, -0, -Infinity, Infinity, Infinity, -Infinity, -9.999999747378752e-05, 9.999999747378752e-05, -1.0, 1.0, -0.009999999776482582, Infinity, 0.011261261068284512, -0.009615384973585606, 2.0] },
  sqrt: { y: [NaN, Infinity, NaN, -0, 0, 3.743392066509216e-23, NaN, NaN, 100.0, NaN, 1.0, NaN, 9.999973025467516e-21, 9.423375129699707, NaN, 0.7071067690849304], g: [NaN, 0, NaN, -Infinity, Infinity, 1.3356869224547685e+22, NaN, NaN, 0.004999999888241291, NaN, 0.5, NaN, 5.00001329434392e+19, 0.053059544414281845, NaN, 0.7071067690849304] },
  rsqrt: { y: [NaN, 0, NaN, -Infinity, Infinity, 2.671373844909537e+22, NaN, NaN, 0.009999999776482582, NaN, 1.0, NaN, 1.000002658868784e+20, 0.10611908882856369, NaN, 1.4142135381698608], g: [NaN, -0, NaN, Infinity, -Infinity, -Infinity, NaN, NaN, -4.999999987376214e-07, NaN, -0.5, NaN, -Infinity, -0.0005975173553451896, NaN, -1.4142134189605713] },
  abs: { y: [NaN, Infinity, Infinity, 0, 0, 1.401298464324817e-45, 1.401298464324817e-45, 10000.0, 10000.0, 1.0, 1.0, 100.0, 9.99994610111476e-41, 88.80000305175781, 104.0, 0.5], g: [0, 1.0, -1.0, 0, 0, 1.0, -1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, 1.0, -1.0, 1.0] },
  sign: { y: [0, 1.0, -1.0, 0, 0, 1.0, -1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, 1.0, -1.0, 1.0], g: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
  sin: { y: [NaN, NaN, NaN, -0, 0, 1.401298464324817e-45, -1.401298464324817e-45, 0.3056143820285797, -0.3056143820285797, -0.8414709568023682, 0.8414709568023682, 0.5063656568527222, 9.99994610111476e-41, 0.741570770740509, 0.32162240147590637, 0.4794255495071411], g: [NaN, NaN, NaN, 1.0, 1.0, 1.0, 1.0, -0.952155351638794, -0.952155351638794, 0.5403023362159729, 0.5403023362159729, 0.8623188734054565, 1.0, 0.6708745956420898, -0.9468680024147034, 0.8775825500488281] },
  cos: { y: [NaN, NaN, NaN, 1.0, 1.0, 1.0, 1.0, -0.952155351638794, -0.952155351638794, 0.5403023362159729, 0.5403023362159729, 0.8623188734054565, 1.0, 0.6708745956420898, -0.9468680024147034, 0.8775825500488281], g: [NaN, NaN, NaN, 0, -0, -1.401298464324817e-45, 1.401298464324817e-45, -0.3056143820285797, 0.3056143820285797, 0.8414709568023682, -0.8414709568023682, -0.5063656568527222, -9.99994610111476e-41, -0.741570770740509, -0.32162240147590637, -0.4794255495071411] },
  square: { y: [NaN, Infinity, Infinity, 0, 0, 0, 0, 100000000.0, 100000000.0, 1.0, 1.0, 10000.0, 0, 7885.4404296875, 10816.0, 0.25], g: [NaN, Infinity, -Infinity, -0, 0, 2.802596928649634e-45, -2.802596928649634e-45, -20000.0, 20000.0, -2.0, 2.0, -200.0, 1.999989220222952e-40, 177.60000610351562, -208.0, 1.0] },
  reciprocal: { y: [NaN, 0, -0, -Infinity, Infinity, Infinity, -Infinity, -9.999999747378752e-05, 9.999999747378752e-05, -1.0, 1.0, -0.009999999776482582, Infinity, 0.011261261068284512, -0.009615384973585606, 2.0], g: [NaN, -0, -0, -Infinity, -Infinity, -Infinity, -Infinity, -9.99999905104687e-09, -9.99999905104687e-09, -1.0, -1.0, -9.999999747378752e-05, -Infinity, -0.00012681599764619023, -9.245562978321686e-05, -4.0] },
  relu: { y: [NaN, Infinity, 0, -0, 0, 1.401298464324817e-45, 0, 0, 10000.0, 0, 1.0, 0, 9.99994610111476e-41, 88.80000305175781, 0, 0.5], g: [1.0, 1.0, 0, 0, 0, 1.0, 0, 0, 1.0, 0, 1.0, 0, 1.0, 1.0, 0, 1.0] },
  leakyRelu: { y: [NaN, Infinity, -Infinity, -0, 0, 1.401298464324817e-45, -0, -100.0, 10000.0, -0.009999999776482582, 1.0, -1.0, 9.99994610111476e-41, 88.80000305175781, -1.0399999618530273, 0.5], g: [0.009999999776482582, 1.0, 0.009999999776482582, 0.009999999776482582, 0.009999999776482582, 1.0, 0.009999999776482582, 0.009999999776482582, 1.0, 0.009999999776482582, 1.0, 0.009999999776482582, 1.0, 1.0, 0.009999999776482582, 1.0] },
  sigmoid: { y: [NaN, 1.0, 0, 0.5, 0.5, 0.5, 0.5, 0, 1.0, 0.2689414322376251, 0.7310585975646973, 0, 0.5, 1.0, 0, 0.622459352016449], g: [NaN, 0, 0, 0.25, 0.25, 0.25, 0.25, 0, 0, 0.1966119408607483, 0.1966119259595871, 0, 0.25, 0, 0, 0.23500370979309082] },
  tanh: { y: [NaN, 1.0, -1.0, -0, 0, 1.401298464324817e-45, -1.401298464324817e-45, -1.0, 1.0, -0.7615941762924194, 0.7615941762924194, -1.0, 9.99994610111476e-41, 1.0, -1.0, 0.46211716532707214], g: [NaN, 0, 0, 1.0, 1.0, 1.0, 1.0, 0, 0, 0.41997429728507996, 0.41997429728507996, 0, 1.0, 0, 0, 0.7864477038383484] },
  gelu: { y: [NaN, Infinity, NaN, 0, 0, 0, 0, 0, 10000.0, -0.1586552858352661, 0.8413447141647339, 0, 4.99997305055738e-41, 88.80000305175781, 0, 0.3457311987876892], g: [NaN, NaN, NaN, 0.5, 0.5, 0.5, 0.5, 0, 1.0, -0.08331543207168579, 1.083315372467041, 0, 0.5, 1.0, 0, 0.867495059967041] },
};
/** gelu's sign of zero is not PyTorch's (it writes +0 for gelu(−0)); nothing depends on it. */
const SIGNLESS_ZERO = new Set(['gelu']);

function samePyTorch(got: number, want: number, name: string): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (want === 0 && got === 0) return SIGNLESS_ZERO.has(name) || Object.is(got, want);
  if (Math.abs(want) < 2 ** -126 && Math.abs(got) < 2 ** -126) return Math.sign(got) * Math.sign(want) >= 0;
  if (!Number.isFinite(want)) return got === want;
  // PyTorch's own results are 1–2 ulp from exact, gradients from the rounded output a few more:
  // the sweep above bounds the accuracy; here the values must be the same numbers
  return R.ulpDistance(got, want) <= 8;
}

for (const name of Object.keys(FN)) {
  test(`unary ${name}: NaN, ±Infinity, ±0, denormals, ±1e4 and −100 give PyTorch's values and gradients`, () => {
    const { y, g } = forwardAndGrad(name, Float32Array.from(SPECIAL_X));
    const want = PYTORCH[name];
    SPECIAL_X.forEach((x, i) => {
      assert.ok(samePyTorch(y[i], want.y[i], name), `${name}(${x}) = ${y[i]}, PyTorch gives ${want.y[i]}`);
      assert.ok(samePyTorch(g[i], want.g[i], name), `${name}'(${x}) = ${g[i]}, PyTorch gives ${want.g[i]}`);
    });
  });
}

test('unary kernels: the v128 body and the scalar tail agree (every length 1–9, every offset)', () => {
  // The cheap ops have an f32x4 main loop and a scalar tail: the same value must give the same
  // result in either, NaN and −0 included.
  const vals = [NaN, -0, 0, -1e-45, 1e-45, -Infinity, Infinity, -2.5, 3.25];
  torch.tidy(() => {
    for (const name of Object.keys(FN)) {
      const full = FN[name](torch.tensor(Float32Array.from(vals))).toFloat32Array();
      for (let n = 1; n <= vals.length; n++) for (let s = 0; s + n <= vals.length; s++) {
        const part = FN[name](torch.tensor(Float32Array.from(vals.slice(s, s + n)))).toFloat32Array();
        for (let i = 0; i < n; i++) {
          assert.ok(Object.is(part[i], full[s + i]), `${name}(${vals[s + i]}): ${part[i]} at position ${i} of ${n}, ${full[s + i]} at ${s + i} of ${vals.length}`);
        }
      }
    }
  });
});
