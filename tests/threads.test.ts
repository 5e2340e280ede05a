// Threads (issue 9): large products, elementwise ops and optimizer steps split over worker threads
// on the shared memory give results bit-identical to one thread, for shapes that split by columns,
// by rows, with transposed operands, edge tiles and vector tails; runtimes without shared memory
// run on one thread with no error; an idle pool does not keep a process alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** fn's result computed with 1 thread and with n threads; Object.is on every float (NaN, -0 too). */
function sameBits(what: string, fn: () => Tensor[], n = 2): void {
  const run = (threads: number): Float32Array[] => {
    torch.setNumThreads(threads);
    const out = fn();
    const bits = out.map((t) => t.toFloat32Array());
    for (const t of out) t.dispose();
    return bits;
  };
  const one = run(1), many = run(n);
  torch.setNumThreads(2);
  assert.equal(one.length, many.length);
  for (let r = 0; r < one.length; r++) {
    assert.equal(one[r].length, many[r].length);
    for (let i = 0; i < one[r].length; i++) {
      if (!Object.is(one[r][i], many[r][i])) assert.fail(`${what}: result ${r} element ${i}: ${one[r][i]} with 1 thread, ${many[r][i]} with ${n}`);
    }
  }
}

test('Node runs threads by default: one per core, at most 8, reported by getNumThreads and backendInfo', () => {
  const cores = availableParallelism();
  assert.equal(torch.getNumThreads(), Math.min(cores, 8));
  assert.equal(torch.backendInfo().threads, torch.getNumThreads());
  torch.setNumThreads(3);
  assert.equal(torch.getNumThreads(), 3);
  assert.equal(torch.backendInfo().threads, 3);
  torch.setNumThreads(2);
});

test('products split over threads equal one thread bit for bit: by columns, by rows, transposed, edge tiles, accumulated bias', () => {
  torch.manualSeed(3);
  // [M, K, N, transA, transB]: N >= M splits columns, M > N rows; sizes off the 4×8 tile and the 64/256 blocks
  const shapes: [number, number, number, boolean, boolean][] = [
    [64, 784, 256, false, true], [256, 64, 784, true, false], [512, 300, 45, false, false], [45, 300, 515, true, true],
    [130, 301, 77, true, false], [1000, 130, 9, false, true], [9, 130, 1000, false, false], [128, 128, 128, false, false],
  ];
  for (const [M, K, N, ta, tb] of shapes) {
    const a = torch.randn(ta ? [K, M] : [M, K]), b = torch.randn(tb ? [N, K] : [K, N]);
    sameBits(`mm ${M}x${K}x${N} ${ta ? 'Aᵀ' : 'A'}${tb ? 'Bᵀ' : 'B'}`, () => [torch.mm(ta ? a.t() : a, tb ? b.t() : b)]);
    a.dispose(); b.dispose();
  }
  // linear: the bias starts every row and the product accumulates onto it; backward's three products
  const x = torch.randn([64, 784]), w = torch.randn([256, 784], { requiresGrad: true }), bias = torch.randn([256], { requiresGrad: true });
  sameBits('linear forward and backward', () => {
    const y = torch.nn.functional.linear(x, w, bias);
    y.square().sum().backward();
    const out = [y.detach(), w.grad!.clone(), bias.grad!.clone()];
    w.grad = null; bias.grad = null; y.dispose();
    return out;
  });
  // batched: each matrix of the batch split
  const p = torch.randn([3, 70, 200]), q = torch.randn([3, 200, 90]);
  sameBits('bmm', () => [torch.bmm(p, q)]);
});

test('splits whose last part would be one row or column (the GEMM\'s vector paths sum in another order) keep whole units, with 2 to 8 threads', () => {
  torch.manualSeed(11);
  // [M, K, N, threads]: rows 9 = 8 + 1, columns 17 = 16 + 1, batch 33 on 8 threads, 81 columns on 8
  for (const [M, K, N, n] of [[9, 14564, 8, 2], [17, 3629, 17, 2], [33, 1024, 32, 8], [64, 300, 81, 8], [13, 5000, 6, 3], [6, 5000, 43, 5]] as const) {
    const a = torch.randn([M, K]), b = torch.randn([K, N]);
    sameBits(`mm ${M}x${K}x${N} on ${n} threads`, () => [torch.mm(a, b), torch.mm(b.t(), a.t())], n);
    a.dispose(); b.dispose();
  }
  // a weight gradient of 17 columns (pointwise, 17 input channels): strips of 8 and 9
  const x = torch.randn([4, 17, 30, 30]), w = torch.randn([6, 17, 1, 1], { requiresGrad: true });
  sameBits('conv2d weight gradient, 17 columns on 2 threads', () => {
    torch.nn.functional.conv2d(x, w).square().sum().backward();
    const gw = w.grad!.clone(); w.grad = null;
    return [gw];
  });
});

test('elementwise ops, their gradients and optimizer steps over many elements equal one thread bit for bit', () => {
  torch.manualSeed(4);
  const n = 300_001; // not a multiple of the 64-float runs: the last part has a tail
  const a = torch.randn([n]), b = torch.randn([n]);
  sameBits('add, mul by a scalar, broadcast one element', () => [a.add(b), a.mul(1.7), a.sub(b.narrow(0, 0, 1))]);
  sameBits('exp, tanh, sigmoid, gelu', () => [a.exp(), a.tanh(), a.sigmoid(), torch.nn.functional.gelu(a)]);
  const x = torch.randn([n], { requiresGrad: true });
  sameBits('tanh backward, relu backward', () => {
    x.tanh().sum().backward();
    const g1 = x.grad!.clone(); x.grad = null;
    x.relu().mul(b).sum().backward();
    const g2 = x.grad!.clone(); x.grad = null;
    return [g1, g2];
  });
  for (const [name, make] of [
    ['Adam', (ps: Tensor[]) => new torch.optim.Adam(ps, { lr: 0.01, weightDecay: 0.1 })],
    ['AdamW amsgrad', (ps: Tensor[]) => new torch.optim.AdamW(ps, { lr: 0.01, amsgrad: true })],
    ['SGD momentum', (ps: Tensor[]) => new torch.optim.SGD(ps, { lr: 0.01, momentum: 0.9, nesterov: true })],
  ] as const) {
    sameBits(`${name}: 3 steps over ${n} parameters`, () => {
      torch.manualSeed(5);
      const p = torch.randn([n], { requiresGrad: true });
      const opt = make([p]);
      for (let s = 0; s < 3; s++) {
        opt.zeroGrad();
        p.mul(p).mul(b).sum().backward();
        opt.step();
      }
      return [p.detach()];
    });
  }
});

test('softmax, logSoftmax and their gradients, and reductions along rows, split by rows, equal one thread bit for bit', () => {
  torch.manualSeed(6);
  const calls = (): number => Number(/calls split over threads: (\d+)/.exec(torch.parallelInfo())![1]);
  const x = torch.randn([600, 301], { requiresGrad: true }), g = torch.randn([600, 301]);
  const y = torch.randn([4, 300, 151], { requiresGrad: true });
  const before = calls();
  sameBits('softmax and logSoftmax forward and backward, over the last dim and a middle one', () => {
    const outs: Tensor[] = [];
    for (const [t, dim] of [[x, 1], [y, 1]] as const) {
      for (const log of [false, true]) {
        const s = log ? t.logSoftmax(dim) : t.softmax(dim);
        s.mul(t === x ? g : s.detach()).sum().backward();
        outs.push(s.detach(), t.grad!.clone());
        t.grad = null;
      }
    }
    return outs;
  });
  const big = torch.randn([1000, 200]);
  sameBits('sum, mean, amax, amin, argmax along rows', () => [big.sum(1), big.mean(1), big.amax(1), big.amin(1), big.argmax(1).float(), big.max(1).values]);
  assert.ok(calls() > before + 10, `the calls were split (${calls() - before})`);
});

test('convolutions split by samples (forward, input gradient, transposed) equal one thread bit for bit', () => {
  torch.manualSeed(8);
  const F = torch.nn.functional;
  const x = torch.randn([6, 16, 20, 19], { requiresGrad: true });
  for (const [name, w, o] of [
    ['3×3, padding 1', torch.randn([32, 16, 3, 3], { requiresGrad: true }), { padding: 1 }],
    ['5×3, stride 2, dilation 2, groups 4', torch.randn([8, 4, 5, 3], { requiresGrad: true }), { stride: 2, dilation: 2, groups: 4 }],
    ['1×1 pointwise', torch.randn([24, 16, 1, 1], { requiresGrad: true }), {}],
  ] as const) {
    sameBits(`conv2d ${name}`, () => {
      const y = F.conv2d(x, w, null, o);
      y.square().sum().backward();
      const out = [y.detach(), x.grad!.clone(), w.grad!.clone()];
      x.grad = null; w.grad = null;
      return out;
    });
  }
  const wt = torch.randn([16, 8, 3, 3]);
  sameBits('convTranspose2d, stride 2', () => [F.convTranspose2d(x.detach(), wt, null, { stride: 2 })]);
});

test('an MLP trained with threads matches one thread: every loss and parameter bit', () => {
  const train = (threads: number): number[] => {
    torch.setNumThreads(threads);
    torch.manualSeed(7);
    const model = new torch.nn.Sequential(new torch.nn.Linear(784, 256), new torch.nn.ReLU(), new torch.nn.Linear(256, 128), new torch.nn.ReLU(), new torch.nn.Linear(128, 10));
    const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
    const x = torch.randn([64, 784]), y = torch.randint(0, 10, [64]);
    const losses: number[] = [];
    for (let s = 0; s < 5; s++) {
      torch.tidy(() => {
        const loss = torch.nn.functional.crossEntropy(model.forward(x), y);
        opt.zeroGrad(); loss.backward(); opt.step();
        losses.push(loss.item());
      });
    }
    for (const p of model.parameters()) for (const v of p.toFloat32Array()) losses.push(v);
    return losses;
  };
  const one = train(1), two = train(2);
  torch.setNumThreads(2);
  assert.equal(one.length, two.length);
  for (let i = 0; i < one.length; i++) if (!Object.is(one[i], two[i])) assert.fail(`value ${i}: ${one[i]} with 1 thread, ${two[i]} with 2`);
});

test('parallelInfo says how many threads, workers ready and calls split; the count goes up as large calls run', () => {
  torch.setNumThreads(2);
  const before = Number(/calls split over threads: (\d+)/.exec(torch.parallelInfo())![1]);
  assert.match(torch.parallelInfo(), /^wasmtorch threads: 2\nworker threads: 1 started, 1 ready\n/);
  const a = torch.randn([300, 300]);
  torch.mm(a, a).dispose();
  torch.mm(a.narrow(0, 0, 1), a).dispose(); // a vector product stays on one thread
  const after = Number(/calls split over threads: (\d+)/.exec(torch.parallelInfo())![1]);
  assert.equal(after, before + 1);
});

test('setNumThreads(1) stops the workers and setNumThreads(n) starts them again; more than 64 is a RangeError', () => {
  torch.setNumThreads(1);
  assert.equal(torch.getNumThreads(), 1);
  const a = torch.randn([300, 300]);
  const one = torch.mm(a, a).toFloat32Array();
  torch.setNumThreads(2);
  assert.deepEqual(torch.mm(a, a).toFloat32Array(), one);
  assert.throws(() => torch.setNumThreads(1000), { name: 'RangeError', message: /^setNumThreads: at most 64 threads, got 1000/ });
  assert.equal(torch.getNumThreads(), 2, 'the count before stays');
  torch.setNumThreads(2);
});

/** A Node child process running `code` against the built bundle (tsx needs SharedArrayBuffer itself); its stdout. */
function child(code: string, flags: string[] = []): string {
  return execFileSync(process.execPath, [...flags, '--input-type=module', '-e', `import * as torch from './dist/index.js';\n${code}`],
    { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

// A runtime without the SharedArrayBuffer global (a page that is not cross-origin isolated): the
// global deleted before the package loads (V8 12, Node 22+, no longer has --no-harmony-sharedarraybuffer)
const NO_SAB = ['--import', 'data:text/javascript,delete globalThis.SharedArrayBuffer'];

test('without SharedArrayBuffer the kernels run on one thread, with no error, and give the same numbers', () => {
  const code = `torch.manualSeed(1); const a = torch.randn([300, 300]); torch.setNumThreads(4);
    const c = torch.mm(a, a).add(1).exp().sum().item();
    console.log(JSON.stringify([torch.getNumThreads(), torch.backendInfo().threads, typeof SharedArrayBuffer, c]));`;
  const [threads, info, sab, value] = JSON.parse(child(code, NO_SAB));
  assert.deepEqual([threads, info, sab], [1, 1, 'undefined']);
  const [, , , shared] = JSON.parse(child(code));
  assert.ok(Object.is(value, shared), `${value} without shared memory, ${shared} with 4 threads`);
  // the shared-memory build passed as bytes gets an unshared memory too
  const viaBytes = child(`const { readFileSync } = await import('node:fs');
    await torch.init({ bytes: readFileSync('./dist/wasmtorch-threads.wasm') });
    torch.manualSeed(1); console.log(torch.mm(torch.randn([300, 300]), torch.randn([300, 300])).sum().item(), torch.backendInfo().wasmBytes);`, NO_SAB);
  assert.match(viaBytes, /^-?\d+(\.\d+)?(e[+-]\d+)? \d+\n$/, viaBytes);
});

test('a process whose workers ran exits by itself: an idle pool keeps nothing alive', () => {
  const start = Date.now();
  // (node -e --input-type=module: the workers' own script must not inherit the module flag)
  const out = child(`torch.setNumThreads(2); while (!torch.parallelInfo().includes('1 ready')) await new Promise((r) => setTimeout(r, 20));
    const a = torch.randn([512, 512]); torch.mm(a, a); console.log(torch.parallelInfo().split('\\n').slice(1).join('; '));`);
  assert.equal(out.trim(), 'worker threads: 1 started, 1 ready; kernel calls split over threads: 1');
  assert.ok(Date.now() - start < 30_000);
});
