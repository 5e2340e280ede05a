// A module Web Worker: init() compiles the embedded kernels asynchronously, then the seed run.
import * as torch from '/dist/index.js';
import { seedLosses } from '/tests/runtimes/seed_steps.js';
try {
  await torch.init();
  postMessage({ ...seedLosses(torch), isolated: self.crossOriginIsolated });
} catch (e) {
  postMessage({ error: String(e && e.stack || e) });
}
