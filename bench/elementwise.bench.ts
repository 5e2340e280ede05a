// Elementwise ops, float32: add and mul of two tensors at 1K and 1M elements, a broadcast add
// ([1000, 1000] + [1000], the row added to every row), relu and exp at 1M. The JSON detail gives
// GB/s: the bytes of the inputs read plus the output written, per call. The 1K cases run 100
// calls per timed step (the table shows one call); jax-js awaits each call's result (bench/op_case.ts).
import * as torch from '../src/index.js';
import { tf, jax } from './peers.js';
import type { Case } from './lib.js';
import { opCase, uniform, type Input } from './op_case.js';
const { numpy: np } = jax;

const K = 1024, M = 1 << 20;
const vec = (n: number, seed: number): Input => ({ data: uniform(n, seed), shape: [n] });

function binary(op: 'add' | 'mul', n: number): Case {
  const label = n === K ? '1K' : '1M';
  return opCase({
    name: `${op} ${label} ${op === 'add' ? '+' : '×'} ${label}`,
    inputs: () => [vec(n, 11), vec(n, 12)],
    ours: op === 'add' ? (a, b) => torch.add(a, b) : (a, b) => torch.mul(a, b),
    tfjs: op === 'add' ? (a, b) => tf.add(a, b) : (a, b) => tf.mul(a, b),
    jax: op === 'add' ? (a, b) => np.add(a, b) : (a, b) => np.multiply(a, b),
    rate: { unit: 'GB/s', perCall: 3 * 4 * n },
    batch: n === K ? 100 : 1,
    warmup: 20,
    rtol: 1e-6,
  });
}

function unary(op: 'relu' | 'exp'): Case {
  return opCase({
    name: `${op} 1M`,
    inputs: () => [vec(M, 13)],
    ours: op === 'relu' ? (a) => torch.relu(a) : (a) => torch.exp(a),
    tfjs: op === 'relu' ? (a) => tf.relu(a) : (a) => tf.exp(a),
    jax: op === 'relu' ? (a) => jax.nn.relu(a) : (a) => np.exp(a),
    rate: { unit: 'GB/s', perCall: 2 * 4 * M },
    warmup: 20,
    // exp's float32 approximations differ in the last bits
    rtol: 1e-5,
  });
}

export const cases: Case[] = [
  binary('add', K), binary('mul', K), binary('add', M), binary('mul', M),
  opCase({
    name: 'add broadcast [1000,1000] + [1000]',
    inputs: () => [{ data: uniform(1e6, 14), shape: [1000, 1000] }, vec(1000, 15)],
    ours: (a, b) => torch.add(a, b),
    tfjs: (a, b) => tf.add(a, b),
    jax: (a, b) => np.add(a, b),
    rate: { unit: 'GB/s', perCall: 4 * (2e6 + 1000) },
    warmup: 20,
    rtol: 1e-6,
  }),
  unary('relu'), unary('exp'),
];
