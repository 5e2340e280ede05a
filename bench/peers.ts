// The two peers, readied once per process and only by the cases that use them: TensorFlow.js on
// its wasm backend (one thread in Node) and jax-js on its wasm device (Node 20 has no web
// `Worker`, so jax-js dispatches every kernel on the calling thread, as wasmtorch does).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as jax from '@jax-js/jax';

let ready: Promise<void> | null = null;

/** Sets TensorFlow.js's backend to wasm and starts jax-js's wasm device; idempotent. */
export function readyPeers(): Promise<void> {
  ready ??= (async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    if (tf.getBackend() !== 'wasm') throw new Error(`TensorFlow.js backend is ${tf.getBackend()}, expected wasm`);
    // a bare init() probes WebGPU through `navigator` and throws in Node 20
    await jax.init('wasm');
    jax.defaultDevice('wasm');
  })();
  return ready;
}

export { tf, jax };
