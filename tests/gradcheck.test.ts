// Every differentiable op's gradient against central finite differences.
import { test } from 'node:test';
import * as torch from '../src/index.js';
import { checkFiniteDifferences as fd } from './oracle.js';

// Constant operands are made once, so every evaluation of a case sees the same function.
torch.manualSeed(3);
const c = (...shape: number[]) => torch.keep(torch.randn(shape));
const W = c(4, 3), M25 = c(2, 5), M32 = c(3, 2), L23 = c(2, 3), B2 = c(2), P46 = c(4, 6);
const T32a = c(3, 2), T32b = c(3, 2), PROBS = torch.keep(c(3, 4).softmax(1));
const cases: [string, (x: torch.Tensor) => torch.Tensor, number[], boolean?][] = [
  ['add broadcast', (x) => x.add(torch.ones(1, 3).mul(2)), [4, 3]],
  ['sub number first', (x) => torch.sub(1.5, x), [4, 3]],
  ['mul self', (x) => x.mul(x), [4, 3]],
  ['div', (x) => torch.div(2, x), [4, 3], true],
  ['pow scalar', (x) => x.pow(1.5), [4, 3], true],
  ['pow tensor', (x) => x.pow(x), [4, 3], true],
  ['exp', (x) => x.exp(), [5]],
  ['log', (x) => x.log(), [5], true],
  ['sqrt', (x) => x.sqrt(), [5], true],
  ['sigmoid', (x) => x.sigmoid(), [5]],
  ['tanh', (x) => x.tanh(), [5]],
  ['gelu', (x) => x.gelu(), [6]],
  ['leakyRelu', (x) => x.leakyRelu(0.2), [6]],
  ['matmul', (x) => x.matmul(W), [2, 4]],
  ['matmul transposed', (x) => x.t().matmul(M25), [2, 3]],
  ['batched matmul', (x) => x.matmul(M32), [2, 3, 3]],
  ['linear', (x) => torch.F.linear(x, L23, B2), [4, 3]],
  ['sum dim', (x) => x.sum(1, true), [3, 4]],
  ['mean', (x) => x.mean(0), [3, 4]],
  ['max dim', (x) => x.max(1).values, [3, 4]],
  ['softmax', (x) => x.softmax(1), [3, 4]],
  ['logSoftmax dim 0', (x) => x.logSoftmax(0), [3, 4]],
  ['permute + reshape', (x) => x.permute(2, 0, 1).reshape(4, -1).mul(P46), [2, 3, 4]],
  ['expand + sum', (x) => x.expand(3, 4).sum(0), [1, 4]],
  ['mse', (x) => torch.F.mseLoss(x, T32a), [3, 2]],
  ['l1', (x) => torch.F.l1Loss(x, T32b, { reduction: 'sum' }), [3, 2]],
  ['cross-entropy indices', (x) => torch.F.crossEntropy(x, torch.tensor([0, 2, 1], { dtype: 'int32' })), [3, 4]],
  ['cross-entropy probabilities', (x) => torch.F.crossEntropy(x, PROBS, { reduction: 'none' }), [3, 4]],
];

for (const [name, fn, shape, positive] of cases) {
  test(`finite differences: ${name}`, () => fd(name, fn, shape, positive ?? false));
}

// Probability targets get a gradient too (d/dt = −log_softmax(x)), as in PyTorch.
const LOGITS = torch.keep(c(3, 4)), LOGITS3 = torch.keep(c(2, 3, 2));
test('finite differences: cross-entropy w.r.t. probability targets', () =>
  fd('cross-entropy targets', (t) => torch.F.crossEntropy(LOGITS, t, { reduction: 'none' }), [3, 4]));
test('finite differences: cross-entropy w.r.t. targets, classes in dim 1 of [2, 3, 2]', () =>
  fd('cross-entropy 3-D targets', (t) => torch.F.crossEntropy(LOGITS3, t), [2, 3, 2]));
