// The relaxed-SIMD build with threads, in a fresh process (Node 20 validates relaxed SIMD only
// when started with --experimental-wasm-relaxed-simd, which bench/threads.bench.ts then passes;
// Node 22+ has relaxed SIMD and refuses the flag).
// Times matmul N=512 and 1024 on one thread and on the default threads, and the MLP step
// (784→256→128→10, batch 64, cross-entropy, Adam) on both; prints JSON: GFLOP/s and ms per step
// (the median of timed calls after warm-up calls). `--quick`: fewer calls.
import { parseCli } from '../../scripts/args.mjs';
const { quick } = parseCli('node [--experimental-wasm-relaxed-simd] bench/programs/wasmtorch-threads.mjs [--quick]', {
  quick: { type: 'boolean', default: false },
});

const torch = await import('../../dist/index.js');
await torch.init();
const threads = torch.getNumThreads();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
/** ms per call of f: the median of `n` timed calls after `warm` untimed ones. */
function time(f, warm, n) {
  for (let i = 0; i < warm; i++) f();
  const t = [];
  for (let i = 0; i < n; i++) { const a = performance.now(); f(); t.push(performance.now() - a); }
  return median(t);
}
const reps = quick ? 3 : 15;
const gflops = (n, th) => {
  torch.setNumThreads(th);
  torch.manualSeed(2);
  const a = torch.rand(n, n), b = torch.rand(n, n);
  const ms = time(() => a.matmul(b).dispose(), 2, n >= 1024 ? Math.ceil(reps / 3) : reps);
  a.dispose(); b.dispose();
  return (2 * n ** 3) / (ms / 1e3) / 1e9;
};
const mlpMs = (th) => {
  torch.setNumThreads(th);
  torch.manualSeed(0);
  const { nn, optim } = torch;
  const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = torch.randn(64, 784), y = torch.randint(0, 10, [64]);
  const step = () => torch.tidy(() => { const loss = lossFn.forward(model.forward(x), y); opt.zeroGrad(); loss.backward(); opt.step(); });
  return time(step, quick ? 5 : 50, quick ? 10 : 200);
};
console.log(JSON.stringify({
  relaxedSimd: torch.backendInfo().relaxedSimd, threads,
  gflops512One: gflops(512, 1), gflops512: gflops(512, threads),
  gflops1024One: gflops(1024, 1), gflops1024: gflops(1024, threads),
  mlpMsOne: mlpMs(1), mlpMs: mlpMs(threads),
}));
