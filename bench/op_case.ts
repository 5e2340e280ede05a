// One tensor op (or a short chain of ops) timed in wasmtorch, TensorFlow.js-wasm and jax-js on the
// same inputs: the shared builder of the op families (matmul, elementwise, reduce). Not a family
// itself (it exports no `cases`, and its name does not end in .bench.ts).
// What one timed call is in each library:
//   wasmtorch: the op inside `torch.tidy`, which frees its result (eager: the kernel has run).
//   TensorFlow.js: the op inside `tf.tidy` (eager and synchronous on the wasm backend).
//   jax-js: the op under `jax.jit`, then `await r.blockUntilReady()` and `r.dispose()`: jax-js is
//     lazy, and an array disposed unread is never computed. blockUntilReady reads nothing back
//     (dataSync would copy the whole result out: 4 MB at 1M elements).
// The check (before the timing) computes the op once in each library, reads the result back and
// reduces it in float64 to a position-weighted sum, Σ x[i]·(1 + (i mod 7)/7): a wrong value, a
// transposed or shifted result changes it, float32 rounding (different summation orders) barely.
import * as torch from '../src/index.js';
import { readyPeers, tf, jax } from './peers.js';
import { agree, timeSides, withRate, type Case, type RunOptions, type Side, type Timing } from './lib.js';
const { numpy: np } = jax;
type JArray = jax.Array;

export interface Input { data: Float32Array | Int32Array; shape: number[] }

export interface OpSpec {
  name: string;
  /** Made once per run of the case; every library gets copies of the same values. */
  inputs: () => Input[];
  ours: (...x: torch.Tensor[]) => torch.Tensor;
  tfjs: (...x: tf.Tensor[]) => tf.Tensor;
  /** Traced by jax.jit. jax-js moves its arguments: an input used twice needs `.ref` the first time. */
  jax: (...x: JArray[]) => JArray;
  /**
   * TensorFlow.js's own layout where it differs (convolutions: NHWC, HWIO): its inputs made from
   * the shared ones, and its result brought back to the shared layout for the check only.
   */
  tfjsLayout?: { inputs: (x: Input[]) => Input[]; output: (y: tf.Tensor) => tf.Tensor };
  /** Work of one call, for the JSON detail: FLOPs ('GFLOP/s') or bytes moved ('GB/s'). */
  rate?: { unit: 'GFLOP/s' | 'GB/s'; perCall: number };
  /** Calls per timed step, for ops of a microsecond or two (the table shows one call). */
  batch?: number;
  /** Steps before the timing (past V8's Liftoff tier and jax-js's kernel compilation). */
  warmup: number;
  rtol: number;
  /** benchmark.js's sampling; unset fields take OP_TIMING's. */
  timing?: Timing;
}

/**
 * The op cases' sampling: 2 rounds (alternating the libraries) of at least 5 samples of at least
 * 15 ms and 0.06 s per library (benchmark.js adds ~0.2 s of its own to each run): ~1.5 s a case,
 * so the ~25 op cases fit beside the other families in the suite's 3 minutes.
 */
export const OP_TIMING: Required<Timing> = { rounds: 2, maxTime: 0.06, minSamples: 5, minTime: 0.015 };

/** Deterministic uniform values in [lo, hi) (mulberry32): the same inputs in every run. */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/** Deterministic integers in [0, n) (class targets). */
export function classes(count: number, n: number, seed: number): Int32Array {
  return Int32Array.from(uniform(count, seed, 0, 1), (u) => Math.min(n - 1, Math.floor(u * n)));
}

/** The position-weighted float64 sum the checks compare. */
export function checksum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * (1 + (i % 7) / 7);
  return s;
}

function oursSide(spec: OpSpec, inputs: Input[]): Side {
  const xs = inputs.map((i) => torch.tidy(() => torch.tensor(i.data).reshape(...i.shape)));
  const n = spec.batch ?? 1, f = spec.ours;
  return {
    step: n === 1 ? () => torch.tidy(() => { f(...xs); })
      : () => { for (let i = 0; i < n; i++) torch.tidy(() => { f(...xs); }); },
    check: () => torch.tidy(() => checksum(f(...xs).toFloat32Array())),
    perStep: n,
    dispose: () => { for (const x of xs) x.dispose(); },
  };
}

function tfSide(spec: OpSpec, shared: Input[]): Side {
  const inputs = spec.tfjsLayout ? spec.tfjsLayout.inputs(shared) : shared;
  const layout = spec.tfjsLayout?.output ?? ((y: tf.Tensor) => y);
  const xs = inputs.map((i) => tf.tensor(i.data, i.shape, i.data instanceof Int32Array ? 'int32' : 'float32'));
  const n = spec.batch ?? 1, f = spec.tfjs;
  return {
    step: n === 1 ? () => tf.tidy(() => { f(...xs); })
      : () => { for (let i = 0; i < n; i++) tf.tidy(() => { f(...xs); }); },
    check: () => tf.tidy(() => checksum(layout(f(...xs)).dataSync())),
    perStep: n,
    dispose: () => tf.dispose(xs),
  };
}

function jaxSide(spec: OpSpec, inputs: Input[]): Side {
  const xs = inputs.map((i) => np.array(i.data, { shape: i.shape, dtype: i.data instanceof Int32Array ? np.int32 : np.float32 }));
  const f = jax.jit(spec.jax);
  const n = spec.batch ?? 1;
  const call = async () => { const r = f(...xs.map((x) => x.ref)); await r.blockUntilReady(); r.dispose(); };
  return {
    step: n === 1 ? call : async () => { for (let i = 0; i < n; i++) await call(); },
    async: true,
    // dataSync runs the pending program, reads the result and disposes it
    check: () => checksum(f(...xs.map((x) => x.ref)).dataSync()),
    perStep: n,
    dispose: () => { for (const x of xs) x.dispose(); f.dispose(); },
  };
}

/** A case that times `spec` in the three libraries after checking that they agree. */
export function opCase(spec: OpSpec): Case {
  return {
    name: spec.name,
    async run(opts: RunOptions) {
      await readyPeers();
      const inputs = spec.inputs();
      const row = await timeSides(spec.name, {
        wasmtorch: () => oursSide(spec, inputs),
        tfjs: () => tfSide(spec, inputs),
        jax: () => jaxSide(spec, inputs),
      }, opts.quick ? Math.min(spec.warmup, 2) : spec.warmup, opts, (v) => agree(spec.name, v, spec.rtol, opts.log), 1, { ...OP_TIMING, ...spec.timing });
      return spec.rate ? withRate(row, spec.rate.unit, spec.rate.perCall) : row;
    },
  };
}
