// The one oracle helper: runs a fixture case (written by tests/fixtures/generate.py or a
// gen_<family>.py with PyTorch; a family's test passes its own `ops` map) in wasmtorch and compares the forward value and every input's gradient.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

export interface FixtureInput { shape?: number[]; data?: number[]; requiresGrad?: boolean; dtype?: 'float32' | 'int32'; scalar?: number }
export interface FixtureCase {
  name: string; op: string; inputs: FixtureInput[]; kwargs: Record<string, unknown>;
  out: { shape: number[]; data: number[]; dtype?: string }; indices?: { shape: number[]; data: number[] };
  gradOut: number[] | null; grads: (number[] | null)[];
}

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

export function fromFixture(t: { shape: number[]; data: number[]; dtype?: string }, requiresGrad = false): Tensor {
  const flat = t.dtype === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data);
  return torch.tensor(flat).reshape(t.shape).detach().requiresGrad_(requiresGrad);
}

/** |a − b| ≤ atol + rtol·|b| elementwise, with the worst offender in the message. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-4, atol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) assert.fail(`${what}: element ${i} is ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

export type OpFn = (inputs: (Tensor | number)[], kw: Record<string, any>) => Tensor | { values: Tensor; indices: Tensor };
const T = (x: Tensor | number): Tensor => x as Tensor;

/** Each fixture op as wasmtorch spells it. */
export const OPS: Record<string, OpFn> = {
  add: ([a, b], kw) => torch.add(a as any, b as any, kw),
  sub: ([a, b]) => torch.sub(a as any, b as any),
  mul: ([a, b]) => torch.mul(a as any, b as any),
  div: ([a, b]) => torch.div(a as any, b as any),
  pow: ([a, b]) => torch.pow(a as any, b as any),
  neg: ([a]) => T(a).neg(), exp: ([a]) => T(a).exp(), log: ([a]) => T(a).log(), sqrt: ([a]) => T(a).sqrt(),
  abs: ([a]) => T(a).abs(), relu: ([a]) => T(a).relu(), sigmoid: ([a]) => T(a).sigmoid(),
  tanh: ([a]) => T(a).tanh(), gelu: ([a]) => T(a).gelu(),
  leakyRelu: ([a], kw) => T(a).leakyRelu(kw.negativeSlope),
  clamp: ([a], kw) => T(a).clamp(kw.min, kw.max),
  matmul: ([a, b]) => T(a).matmul(T(b)),
  mm: ([a, b]) => T(a).mm(T(b)),
  linear: ([x, w, b]) => torch.F.linear(T(x), T(w), T(b)),
  sum: ([a], kw) => T(a).sum(kw.dim, kw.keepdim ?? false),
  mean: ([a], kw) => T(a).mean(kw.dim, kw.keepdim ?? false),
  max: ([a], kw) => (kw.dim === undefined ? T(a).max() : T(a).max(kw.dim, kw.keepdim ?? false)),
  argmax: ([a], kw) => T(a).argmax(kw.dim, kw.keepdim ?? false),
  softmax: ([a], kw) => T(a).softmax(kw.dim),
  logSoftmax: ([a], kw) => T(a).logSoftmax(kw.dim),
  transpose_matmul: ([a, b]) => T(a).t().matmul(T(b)),
  matmul_t: ([x, w]) => T(x).matmul(T(w).t()),
  permute: ([a], kw) => T(a).permute(kw.dims),
  reshape: ([a], kw) => T(a).reshape(kw.shape),
  expand_mul: ([a, b]) => T(a).expand(3, 4).mul(T(b)),
  mse_loss: ([a, b], kw) => torch.F.mseLoss(T(a), T(b), kw),
  l1_loss: ([a, b], kw) => torch.F.l1Loss(T(a), T(b), kw),
  cross_entropy: ([a, b], kw) => torch.F.crossEntropy(T(a), T(b), kw),
};

/** Runs one case: forward value (and indices), then gradients through (out · gradOut).sum(). */
export function checkCase(c: FixtureCase, rtol = 1e-4, atol = 1e-5, ops: Record<string, OpFn> = OPS): void {
  const fn = ops[c.op];
  assert.ok(fn, `no wasmtorch op for fixture op '${c.op}'`);
  torch.tidy(() => {
    const inputs = c.inputs.map((i) => (i.scalar !== undefined ? i.scalar : fromFixture(i as any, i.requiresGrad ?? false)));
    const r = fn(inputs, c.kwargs);
    const out = 'values' in r ? r.values : r;
    assert.deepEqual(out.shape, c.out.shape, `${c.name}: shape`);
    if (c.out.dtype === 'int32') assert.deepEqual(Array.from(out.toInt32Array()), c.out.data, `${c.name}: values`);
    else assertClose(out.toFloat32Array(), c.out.data, `${c.name}: forward`, rtol, atol);
    if ('values' in r && c.indices) assert.deepEqual(Array.from(r.indices.toInt32Array()), c.indices.data, `${c.name}: indices`);
    if (!c.gradOut) return;
    const g = fromFixture({ shape: c.out.shape, data: c.gradOut });
    out.mul(g).sum().backward();
    c.grads.forEach((expected, i) => {
      const t = inputs[i];
      if (expected === null || typeof t === 'number') return;
      assert.ok(t.grad, `${c.name}: input ${i} got no gradient`);
      assertClose(t.grad.toFloat32Array(), expected, `${c.name}: grad of input ${i}`, rtol, atol);
    });
  });
}

/**
 * Central finite differences of f(x) = (fn(x) · w).sum() against autograd, in float32 with
 * step h; tolerance is loose because float32 differences carry ~1e-3 relative noise.
 */
export function checkFiniteDifferences(name: string, fn: (x: Tensor) => Tensor, shape: number[], positive = false, h = 1e-2, tol = 2e-2): void {
  torch.tidy(() => {
    torch.manualSeed(7);
    const base = torch.randn(shape);
    const x0 = positive ? base.abs().add(0.5) : base;
    const x = x0.detach().requiresGrad_();
    const y = fn(x);
    const w = torch.randn([...y.shape]);
    y.mul(w).sum().backward();
    const grad = x.grad!.toFloat32Array();
    const data = x0.toFloat32Array();
    const f = (vals: Float32Array): number => torch.noGrad(() => fn(torch.tensor(vals).reshape(shape)).mul(w).sum().item());
    for (let i = 0; i < data.length; i++) {
      const p = new Float32Array(data), m = new Float32Array(data);
      p[i] += h; m[i] -= h;
      const fd = (f(p) - f(m)) / (2 * h);
      if (!(Math.abs(fd - grad[i]) <= tol * (1 + Math.abs(fd)))) {
        assert.fail(`${name}: d/dx[${i}] autograd ${grad[i]} vs finite difference ${fd}`);
      }
    }
  });
}
