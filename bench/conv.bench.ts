// Convolutions and a small CNN's training step in wasmtorch and in TensorFlow.js in the same
// process (benchmark.js), then the same CNN step in PyTorch (bench/torch_cnn.py, one thread).
// TensorFlow.js runs each case on its wasm backend (XNNPACK) where that backend has every kernel the
// case needs, else on its cpu backend, and the output says which and why: 4.22's wasm backend has
// no Conv2DBackpropFilter, so nothing that trains a convolution runs there.
// Layouts are each library's own: NCHW here and in PyTorch, NHWC in TensorFlow.js. TensorFlow.js's
// cpu backend takes seconds to minutes per call (plain JavaScript loops), so its cases are timed
// by single calls (the mean of --cpu-calls N, default 1) instead of benchmark.js's samples.
// For each dense convolution the table also times wasmtorch's SGEMM on the im2col product's shape
// ([out, in·k·k] × [in·k·k, n·h·w]: the same FLOPs), the ceiling the convolution is measured against.
// Run: npm run bench:conv   (--quick: short samples, for checking that it runs)
import Benchmark from 'benchmark';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as torch from '../src/index.js';
// @ts-expect-error: plain JS helper shared with scripts/*.mjs
import { parseCli } from '../scripts/args.mjs';
const { nn, optim } = torch;

const args = parseCli('npx tsx bench/conv.bench.ts [--quick] [--cpu-calls N (default 1)] [--no-cpu]', {
  quick: { type: 'boolean', default: false },
  'cpu-calls': { type: 'integer', default: 1, min: 1 },
  'no-cpu': { type: 'boolean', default: false },
}) as { quick: boolean; 'cpu-calls': number; 'no-cpu': boolean };
// --no-cpu skips TensorFlow.js's cpu-backend calls (seconds to minutes each), for a quick table of the rest
const quick = args.quick, cpuCalls = args['cpu-calls'], noCpu = args['no-cpu'];

interface ConvSpec { n: number; cin: number; cout: number; h: number; w: number; k: number; pad: number; groups: number }
type Backend = 'wasm' | 'cpu';
interface Case {
  name: string;
  flops: number; // per call, multiply and add counted apart
  ours: () => () => void;
  theirs: () => () => void;
  tfKernels: string[]; // what TensorFlow.js needs for the case: all on wasm, or the case runs on cpu
  gemm?: [number, number, number]; // M, K, N of the im2col product with the same FLOPs
  slow?: boolean; // a training case: fewer warm-up calls and benchmark.js samples
}

const outSize = (s: ConvSpec): [number, number] => [s.h + 2 * s.pad - s.k + 1, s.w + 2 * s.pad - s.k + 1];
const convFlops = (s: ConvSpec): number => { const [ho, wo] = outSize(s); return 2 * s.n * s.cout * ho * wo * (s.cin / s.groups) * s.k * s.k; };

function oursConv(s: ConvSpec, backward: boolean): () => () => void {
  return () => {
    torch.manualSeed(0);
    const conv = new nn.Conv2d(s.cin, s.cout, s.k, { padding: s.pad, groups: s.groups });
    const x = torch.keep(torch.randn([s.n, s.cin, s.h, s.w], { requiresGrad: backward }));
    if (!backward) return () => torch.tidy(() => torch.noGrad(() => { conv.forward(x); }));
    const gy = torch.keep(torch.randn(s.n, s.cout, ...outSize(s)));
    return () => torch.tidy(() => {
      conv.zeroGrad();
      x.grad = null;
      conv.forward(x).backward(gy);
    });
  };
}

function theirConv(s: ConvSpec, backward: boolean): () => () => void {
  return () => {
    const depthwise = s.groups === s.cin && s.groups > 1;
    if (s.groups !== 1 && !depthwise) throw new Error('TensorFlow.js has dense and depthwise convolutions only');
    const pad = s.pad === 0 ? 'valid' : 'same';
    const x = tf.randomNormal<tf.Rank.R4>([s.n, s.h, s.w, s.cin]);
    const f = tf.randomNormal<tf.Rank.R4>(depthwise ? [s.k, s.k, s.cin, 1] : [s.k, s.k, s.cin, s.cout]);
    const b = tf.zeros<tf.Rank.R1>([s.cout]);
    if (!backward) {
      return () => {
        const y = depthwise ? tf.fused.depthwiseConv2d({ x, filter: f, strides: 1, pad, bias: b }) : tf.fused.conv2d({ x, filter: f, strides: 1, pad, bias: b });
        y.dispose();
      };
    }
    const [ho, wo] = outSize(s);
    const dy = tf.randomNormal<tf.Rank.R4>([s.n, ho, wo, s.cout]);
    const g = tf.grads((xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) =>
      tf.add(depthwise ? tf.depthwiseConv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 1, pad) : tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 1, pad), bb));
    return () => { for (const t of g([x, f, b], dy)) t.dispose(); };
  };
}

function convCase(label: string, s: ConvSpec, backward: boolean): Case {
  const depthwise = s.groups > 1;
  const [ho, wo] = outSize(s);
  const fwd = depthwise ? ['FusedDepthwiseConv2D'] : ['FusedConv2D'];
  const bwd = depthwise ? ['DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter']
    : ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];
  return {
    name: `${label} ${backward ? 'forward+backward' : 'forward'}`,
    flops: (backward ? 3 : 1) * convFlops(s),
    ours: oursConv(s, backward),
    theirs: theirConv(s, backward),
    tfKernels: backward ? bwd : fwd,
    gemm: depthwise || backward ? undefined : [s.cout, s.cin * s.k * s.k, s.n * ho * wo],
    slow: backward,
  };
}

// The CNN of examples/mnist.ts without its hidden layer (as in the issue): batch 32, cross-entropy, Adam.
function oursCnn(): () => void {
  torch.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 16, 3), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(800, 10));
  const x = torch.keep(torch.randn(32, 1, 28, 28)), y = torch.keep(torch.randint(0, 10, [32]));
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  return () => torch.tidy(() => {
    const loss = lossFn.forward(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  });
}

function theirCnn(): () => void {
  const glorot = (shape: number[], fanIn: number) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
  const w1 = glorot([3, 3, 1, 16], 9), b1 = tf.variable(tf.zeros([16]));
  const w2 = glorot([3, 3, 16, 32], 144), b2 = tf.variable(tf.zeros([32]));
  const w3 = glorot([800, 10], 800), b3 = tf.variable(tf.zeros([10]));
  const x = tf.randomNormal<tf.Rank.R4>([32, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([32], 0, 10, 'int32') as tf.Tensor1D, 10);
  const opt = tf.train.adam(1e-3);
  return () => {
    const cost = opt.minimize(() => {
      let h = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'valid'), b1)) as tf.Tensor4D, 2, 2, 'valid');
      h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, w2 as tf.Tensor4D, 1, 'valid'), b2)) as tf.Tensor4D, 2, 2, 'valid');
      const logits = tf.add(tf.matMul(tf.reshape(h, [32, 800]), w3), b3);
      return tf.losses.softmaxCrossEntropy(y, logits);
    }, true);
    cost?.dataSync();
    cost?.dispose();
  };
}

const CNN_FLOPS = 3 * (2 * 32 * 16 * 26 * 26 * 9 + 2 * 32 * 32 * 11 * 11 * 16 * 9 + 2 * 32 * 800 * 10);
const MNIST = { n: 32, cin: 16, cout: 32, h: 28, w: 28, k: 3, pad: 1, groups: 1 };
const CIFAR = { n: 32, cin: 32, cout: 64, h: 32, w: 32, k: 3, pad: 1, groups: 1 };
const DEPTHWISE = { n: 32, cin: 32, cout: 32, h: 32, w: 32, k: 3, pad: 1, groups: 32 };
const POINTWISE = { n: 32, cin: 32, cout: 64, h: 32, w: 32, k: 1, pad: 0, groups: 1 };
// forwards and the CNN step first; then the forward+backward cases, whose TensorFlow.js side runs on cpu, the largest last
const CASES: Case[] = [
  convCase('Conv2d 3×3 16→32, 28×28, batch 32', MNIST, false),
  convCase('Conv2d 3×3 32→64, 32×32, batch 32', CIFAR, false),
  convCase('depthwise 3×3 32 ch, 32×32, batch 32', DEPTHWISE, false),
  convCase('Conv2d 1×1 32→64, 32×32, batch 32', POINTWISE, false),
  {
    name: 'CNN training step (conv16-pool-conv32-pool-linear, batch 32, Adam)', flops: CNN_FLOPS,
    ours: oursCnn, theirs: theirCnn, tfKernels: ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPool', 'MaxPoolGrad'], slow: true,
  },
  convCase('Conv2d 3×3 16→32, 28×28, batch 32', MNIST, true),
  convCase('depthwise 3×3 32 ch, 32×32, batch 32', DEPTHWISE, true),
  convCase('Conv2d 1×1 32→64, 32×32, batch 32', POINTWISE, true),
  convCase('Conv2d 3×3 32→64, 32×32, batch 32', CIFAR, true),
];

/** Mean seconds per call of each function, measured in one benchmark.js suite (interleaved). */
function measure(name: string, fns: Record<string, { fn: () => void; slow?: boolean }>): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  return new Promise((resolve) => {
    const suite = new Benchmark.Suite(name);
    for (const [label, { fn, slow }] of Object.entries(fns)) {
      suite.add(label, fn, quick ? { maxTime: 0.2, minSamples: 1 } : slow ? { maxTime: 1, minSamples: 2 } : { maxTime: 3 });
    }
    suite.on('cycle', (e: Benchmark.Event) => { const b = e.target as unknown as Benchmark; times[b.name!] = b.stats.mean; })
      .on('complete', () => resolve(times))
      .run({ async: false });
  });
}

const ms = (s: number): string => (s >= 1 ? `${s.toFixed(2)} s` : s * 1e3 >= 1 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(0)} µs`);
const gflops = (flops: number, s: number): string => (flops / s / 1e9).toFixed(1);

interface TorchResult { torch: string; threads: number; blas: string; mkldnn: boolean; cpu_capability: string; ms_median: number; ms_best: number }

/** PyTorch's CNN step (bench/torch_cnn.py), or why there is none. */
function pytorch(): TorchResult | string {
  if (!existsSync('/usr/bin/python3')) return '/usr/bin/python3 is absent';
  try {
    const script = fileURLToPath(new URL('./torch_cnn.py', import.meta.url));
    const out = execFileSync('/usr/bin/python3', [script, ...(quick ? ['--steps', '5'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.trim().split('\n').pop()!) as TorchResult;
  } catch (e) {
    return `bench/torch_cnn.py failed (is python3-torch installed?): ${String(e instanceof Error ? e.message : e).split('\n')[0]}`;
  }
}

async function main(): Promise<void> {
  await tf.setBackend('wasm'); // registers it and loads its kernels
  await tf.ready();
  const py = pytorch(); // first, while nothing else of ours runs
  console.log(`wasmtorch vs TensorFlow.js ${tf.version.tfjs} (wasm backend where it has the kernels, else cpu) and PyTorch, Node ${process.version}, one thread`);
  console.log('| case | wasmtorch | GFLOP/s | SGEMM, same FLOPs | TensorFlow.js | backend | wasmtorch faster by |');
  console.log('|---|---|---|---|---|---|---|');
  const notes: string[] = [];
  for (const c of CASES) {
    const missing = c.tfKernels.filter((k) => !tf.getKernel(k, 'wasm'));
    const backend: Backend = missing.length ? 'cpu' : 'wasm';
    await tf.setBackend(backend);
    const ours = c.ours(), theirFn = c.theirs(); // the TensorFlow.js tensors live on the case's backend
    const fns: Record<string, { fn: () => void; slow?: boolean }> = { wasmtorch: { fn: ours } };
    if (backend === 'wasm') fns.tfjs = { fn: theirFn };
    let gemmFn: (() => void) | undefined;
    if (c.gemm) {
      const [m, k, n] = c.gemm;
      const a = torch.keep(torch.randn(m, k)), b = torch.keep(torch.randn(k, n));
      gemmFn = () => torch.tidy(() => { a.mm(b); });
      fns.sgemm = { fn: gemmFn };
    }
    for (let i = 0; i < (c.slow ? 3 : 10); i++) { ours(); gemmFn?.(); } // past Liftoff into TurboFan
    if (backend === 'wasm') theirFn();
    const t = await measure(c.name, fns);
    if (backend === 'cpu' && !noCpu) {
      const t0 = performance.now();
      for (let i = 0; i < cpuCalls; i++) theirFn();
      t.tfjs = (performance.now() - t0) / 1e3 / cpuCalls;
    }
    const why = missing.length ? `cpu (wasm lacks ${missing.join(', ')}; ${noCpu ? 'not run: --no-cpu' : `${cpuCalls} call${cpuCalls > 1 ? 's' : ''}`})` : 'wasm';
    const gemmCell = t.sgemm ? `${ms(t.sgemm)} (${gflops(c.flops, t.sgemm)} GFLOP/s; conv at ${(100 * t.sgemm / t.wasmtorch).toFixed(0)} %)` : '—';
    const theirs = t.tfjs === undefined ? '—' : ms(t.tfjs), ratio = t.tfjs === undefined ? '—' : `${(t.tfjs / t.wasmtorch).toFixed(1)}×`;
    console.log(`| ${c.name} | ${ms(t.wasmtorch)} | ${gflops(c.flops, t.wasmtorch)} | ${gemmCell} | ${theirs} | ${why} | ${ratio} |`);
    if (c.name.startsWith('CNN')) {
      notes.push(typeof py === 'string' ? `PyTorch: ${py}` :
        `PyTorch ${py.torch} (${py.threads} thread, BLAS ${py.blas}, oneDNN ${py.mkldnn ? 'on' : 'off'}, ${py.cpu_capability}), the CNN training step: ` +
        `${py.ms_median.toFixed(2)} ms median (best ${py.ms_best.toFixed(2)} ms); wasmtorch ${ms(t.wasmtorch)}: ` +
        `PyTorch / wasmtorch = ${(py.ms_median / 1e3 / t.wasmtorch).toFixed(2)} (above 1: wasmtorch faster)`);
      console.log(notes[notes.length - 1]);
    }
  }
}
await main();
