// The page's script (a file, as the test's CSP forbids inline scripts).
import * as torch from '/dist/index.js';
import { seedLosses } from '/tests/runtimes/seed_steps.js';
const where = new URLSearchParams(location.search).get('where');

// ?threads=1: products and an Adam step on one thread and on the default count, once the workers
// run (they boot asynchronously in a page); the results' bits and parallelInfo() for the test.
async function threadRun() {
  const count = torch.getNumThreads();
  torch.manualSeed(3);
  const a = torch.randn([300, 257]), b = torch.randn([257, 190]), c = torch.randn([400, 400]);
  const run = () => {
    const outs = [torch.mm(a, b), torch.mm(b.t(), a.t()), c.exp().mul(c)];
    return outs.map((t) => Array.from(t.toFloat32Array()));
  };
  torch.setNumThreads(1);
  const one = run();
  torch.setNumThreads(count);
  // the workers boot asynchronously: wait until parallelInfo says they all run (10 s at most)
  for (let i = 0; i < 200 && !torch.parallelInfo().includes(`${count - 1} ready`); i++) await new Promise((r) => setTimeout(r, 50));
  const many = run();
  let same = one.length === many.length;
  for (let r = 0; same && r < one.length; r++) for (let i = 0; i < one[r].length; i++) if (!Object.is(one[r][i], many[r][i])) { same = false; break; }
  return { count, cores: navigator.hardwareConcurrency, same, info: torch.parallelInfo() };
}
try {
  if (where === 'worker') {
    const w = new Worker('/tests/runtimes/browser_worker.js', { type: 'module' });
    w.onmessage = (e) => { window.__result = e.data; };
    w.onerror = (e) => { window.__result = { error: String(e.message) }; };
  } else {
    // ?init=url fetches the plain SIMD file instead of using the embedded (relaxed) build
    const init = new URLSearchParams(location.search).get('init');
    await torch.init(init === 'url' ? { url: '/dist/wasmtorch.wasm' } : {});
    const threads = new URLSearchParams(location.search).get('threads') === '1' ? await threadRun() : undefined;
    window.__result = { ...seedLosses(torch), isolated: self.crossOriginIsolated, threads };
  }
} catch (e) {
  window.__result = { error: String(e && e.stack || e) };
}
