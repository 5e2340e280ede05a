// toString() against PyTorch's repr(t), character for character: the cases of
// tests/fixtures/gen_io.py (io.json "repr"), plus tolist() of bool tensors and the rounding rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { Tensor } from '../src/tensor.js';
import { i32View } from '../src/runtime/storage.js';
import { loadFixture } from './oracle.js';

interface ReprCase {
  name: string; shape: number[]; data: (number | boolean | 'nan' | 'inf' | '-inf')[]; dtype: 'float32' | 'int32' | 'bool';
  requiresGrad: boolean; op: null | 'mul2' | 'parameter' | 't'; repr: string;
}
const cases = loadFixture<{ repr: ReprCase[] }>('io.json').repr;

/** A bool tensor from 0/1 values (stored as 4-byte integers). */
export function boolTensor(values: (number | boolean)[], shape: number[] = [values.length]): Tensor {
  const t = Tensor.empty(shape, 'bool');
  i32View(t.ptr('test'), values.length).set(values.map((v) => (v ? 1 : 0)));
  return t;
}

function build(c: ReprCase): Tensor {
  const data = c.data.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity').replace('nan', 'NaN')) : v));
  const base = c.dtype === 'bool'
    ? boolTensor(data, c.shape)
    : torch.tensor(c.dtype === 'int32' ? Int32Array.from(data as number[]) : Float32Array.from(data as number[])).reshape(c.shape).detach();
  if (c.requiresGrad) base.requiresGrad_(true);
  switch (c.op) {
    case null: return base;
    case 'mul2': return base.mul(2);
    case 't': return base.t();
    case 'parameter': return new torch.nn.Parameter(base, c.requiresGrad);
  }
}

test('repr fixtures: at least 20 cases, and their names are unique', () => {
  assert.ok(cases.length >= 20, `${cases.length} cases`);
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
});

for (const c of cases) {
  test(`repr: ${c.name}`, () => {
    torch.tidy(() => {
      const t = build(c);
      assert.equal(t.toString(), c.repr);
    });
  });
}

test('repr: a tensor prints the same before and after a round trip through tolist()', () => {
  torch.tidy(() => {
    const t = torch.tensor([[0.5, -1.25], [3, 4]]);
    assert.equal(torch.tensor(t.tolist() as number[][]).toString(), t.toString());
    assert.equal(t.toString(), 'tensor([[ 0.5000, -1.2500],\n        [ 3.0000,  4.0000]])');
  });
});

test('repr: printing allocates nothing that outlives it, summaries included', () => {
  torch.tidy(() => {
    const big = torch.randn(50, 50).t(); // non-contiguous and summarised
    const before = torch.memory();
    const s = big.toString();
    assert.match(s, /\.\.\./);
    assert.deepEqual(torch.memory().liveTensors, before.liveTensors);
    assert.deepEqual(torch.memory().bytesInUse, before.bytesInUse);
  });
});

test('repr: a disposed tensor says so instead of throwing', () => {
  const t = torch.ones(2, 3);
  t.dispose();
  assert.equal(t.toString(), 'tensor(<disposed>, shape=[2, 3])');
});

test('tolist: bool tensors give booleans, int32 and float32 give numbers', () => {
  torch.tidy(() => {
    assert.deepEqual(boolTensor([1, 0, 1, 1], [2, 2]).tolist(), [[true, false], [true, true]]);
    assert.equal(boolTensor([0], []).tolist(), false);
    assert.deepEqual(boolTensor([1, 0]).dataSync(), [1, 0]);
    assert.deepEqual(Array.from(boolTensor([1, 0]).toFloat32Array()), [1, 0]);
    assert.deepEqual(Array.from(boolTensor([1, 0]).toInt32Array()), [1, 0]);
    assert.deepEqual(torch.tensor([1, 2], { dtype: 'int32' }).tolist(), [1, 2]);
    assert.deepEqual(torch.tensor([[0.5]]).tolist(), [[0.5]]);
  });
});

test('repr: Python rounding (half to even on the exact binary value), not JavaScript toFixed', () => {
  torch.tidy(() => {
    // 1.03125 and 0.15625 are exact in binary: ties; toFixed(4) would give 1.0313 and 0.1563
    assert.equal(torch.tensor([1.03125, 0.15625, 0.5]).toString(), 'tensor([1.0312, 0.1562, 0.5000])');
    assert.equal(torch.tensor([1.03125, 1e5]).toString(), 'tensor([1.0312e+00, 1.0000e+05])');
    // 9.99995 in float32 is just above the tie: rounds up and carries into the exponent
    assert.equal(torch.tensor([9.99995e-5, 1]).toString(), 'tensor([1.0000e-04, 1.0000e+00])');
  });
});
