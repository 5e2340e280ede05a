// The page's script (a file, as the test's CSP forbids inline scripts).
import * as torch from '/dist/index.js';
import { seedLosses } from '/tests/runtimes/seed_steps.js';
const where = new URLSearchParams(location.search).get('where');
try {
  if (where === 'worker') {
    const w = new Worker('/tests/runtimes/browser_worker.js', { type: 'module' });
    w.onmessage = (e) => { window.__result = e.data; };
    w.onerror = (e) => { window.__result = { error: String(e.message) }; };
  } else {
    // ?init=url fetches the plain SIMD file instead of using the embedded (relaxed) build
    const init = new URLSearchParams(location.search).get('init');
    await torch.init(init === 'url' ? { url: '/dist/wasmtorch.wasm' } : {});
    window.__result = { ...seedLosses(torch), isolated: self.crossOriginIsolated };
  }
} catch (e) {
  window.__result = { error: String(e && e.stack || e) };
}
