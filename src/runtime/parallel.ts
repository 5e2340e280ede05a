// Large kernel calls split over the threads (runtime/threads.ts), in parts that leave every
// element's arithmetic as one thread does it: bit-identical results for any thread count.
import { K } from './wasm.js';
import { runParts, ways, type WorkerKernel } from './threads.js';
import { threadScratch } from './storage.js';

// Below these sizes a part is too small to pay for handing it to a worker (under a microsecond
// while the worker spins, ~100 µs round trip once it sleeps): `npm run bench -- --filter threads`.
const GEMM_MIN_MACS = 1 << 20; // multiply-adds
export const ELEMENTS_MIN = 1 << 17;
// Column parts are whole strips of the micro-kernel's 8 columns, row parts of its 4 rows, element
// parts whole 64-float runs: edge tiles and vector tails fall where one thread has them.
const NR = 8, MR = 4, RUN = 64;

/**
 * Where part p of `parts` ends: the whole units shared out evenly, the leftover (len mod unit)
 * going to the last part, so no part is smaller than one unit (parts <= len / unit). A part of
 * one row or one column would take the GEMM's vector paths, which sum in another order.
 */
function partEnd(len: number, unit: number, parts: number, p: number): number {
  return p === parts - 1 ? len : Math.round((Math.floor(len / unit) * (p + 1)) / parts) * unit;
}

/** One kernel call with these arguments, on this thread. */
const call = (kernel: WorkerKernel, args: readonly number[]): void => (K()[kernel] as (...x: number[]) => void)(...args);

/**
 * `count` units in `parts` parts of whole multiples of `unit` (partEnd), part p on thread p:
 * `args(u0, u1, thread)` gives the kernel's arguments for units u0..u1 (0..count when not split).
 */
function run(kernel: WorkerKernel, count: number, unit: number, parts: number, args: (u0: number, u1: number, thread: number) => number[]): void {
  if (parts <= 1) {
    call(kernel, args(0, count, 0));
    return;
  }
  const jobs: number[][] = [];
  for (let p = 0, done = 0; p < parts; p++) {
    const end = partEnd(count, unit, parts, p);
    jobs.push(args(done, end, p));
    done = end;
  }
  runParts(kernel, jobs);
}

/**
 * C (M×N, row stride ldc) = op(A)·op(B) (+ C when accumulate; or, when `bias` is the address of N
 * floats, + those floats in every row, instead of C): the GEMM kernel with the calling thread's
 * packing buffers, or split over the threads by columns (rows when there are more rows), each part
 * with its own packing buffers.
 */
export function gemm(M: number, N: number, Kd: number, A: number, lda: number, transA: boolean,
                     B: number, ldb: number, transB: boolean, C: number, ldc: number, accumulate: boolean, bias = 0): void {
  const ta = transA ? 1 : 0, tb = transB ? 1 : 0, acc = accumulate ? 1 : 0;
  // skinny products take other paths in the kernel (gemv.ts) whose sums a split would change
  const t = M > 1 && N > 1 && Kd > 1 && M * N * Kd >= GEMM_MIN_MACS ? ways() : 1;
  const byCols = N >= M;
  const unit = byCols ? NR : MR, len = byCols ? N : M;
  const parts = Math.min(t, Math.floor(len / unit));
  if (parts <= 1) {
    // the common small product: no argument arrays
    const { packA, packB } = threadScratch(0);
    if (bias !== 0) K().gemmBias(M, N, Kd, A, lda, ta, B, ldb, tb, C, ldc, bias, packA, packB);
    else K().gemm(M, N, Kd, A, lda, ta, B, ldb, tb, C, ldc, acc, packA, packB);
    return;
  }
  // gemmBias takes the bias address where gemm takes the accumulate flag
  run(bias !== 0 ? 'gemmBias' : 'gemm', len, unit, parts, (u0, u1, thread) => {
    const { packA, packB } = threadScratch(thread);
    return byCols
      // columns u0..u1 of op(B), C and the bias
      ? [M, u1 - u0, Kd, A, lda, ta, B + 4 * u0 * (transB ? ldb : 1), ldb, tb, C + 4 * u0, ldc, bias !== 0 ? bias + 4 * u0 : acc, packA, packB]
      // rows u0..u1 of op(A) and C
      : [u1 - u0, N, Kd, A + 4 * u0 * (transA ? 1 : lda), lda, ta, B, ldb, tb, C + 4 * u0 * ldc, ldc, bias !== 0 ? bias : acc, packA, packB];
  });
}

/** How many parts ranges() would split `count` units into now (1: not split), before any cap. */
export function partsFor(count: number, unit: number, macs: number): number {
  return macs >= GEMM_MIN_MACS ? Math.max(1, Math.min(ways(), Math.floor(count / unit))) : 1;
}

/**
 * A kernel over `count` independent units (a convolution's samples, a weight gradient's columns)
 * split over the threads in whole multiples of `unit` when `macs` is large: `args(u0, u1, thread)`
 * gives its arguments for units u0..u1 on that thread's scratch (0..count when not split).
 * `maxParts` caps the split (the scratch the caller could allocate).
 */
export function ranges(kernel: WorkerKernel, count: number, unit: number, macs: number, args: (u0: number, u1: number, thread: number) => number[], maxParts = Infinity): void {
  run(kernel, count, unit, Math.min(partsFor(count, unit, macs), maxParts), args);
}

/**
 * An elementwise kernel over n elements: `args` as the kernel takes them, n at args[nAt], element
 * pointers at the indices `ptrs` (0 = absent, left alone), each advancing `scale[i]` floats per
 * element (a stride of 0 broadcasts one value). Split over the threads when n is large.
 */
export function elementwise(kernel: WorkerKernel, args: number[], nAt: number, ptrs: readonly number[], scale?: readonly number[]): void {
  split(kernel, args, nAt, ptrs, scale ?? ptrs.map(() => 1), RUN, args[nAt]);
}

/**
 * A kernel over `outer` independent rows (args[outerAt]): softmax and its gradient, reductions
 * along rows. Pointers at `ptrs` advance `floats[i]` per row; `elements` is the whole work, whose
 * size decides the split. Each row is computed whole by one thread, as on one.
 */
export function rows(kernel: WorkerKernel, args: number[], outerAt: number, ptrs: readonly number[], floats: readonly number[], elements: number): void {
  split(kernel, args, outerAt, ptrs, floats, 1, elements);
}

// args[countAt] units split into parts of whole multiples of `unit`, each pointer advanced by
// scale[i] floats per unit.
function split(kernel: WorkerKernel, args: number[], countAt: number, ptrs: readonly number[], scale: readonly number[], unit: number, elements: number): void {
  const n = args[countAt];
  const parts = elements >= ELEMENTS_MIN ? Math.min(ways(), Math.floor(n / unit)) : 1;
  if (parts <= 1) {
    call(kernel, args); // the caller's array as it is
    return;
  }
  run(kernel, n, unit, parts, (u0, u1) => {
    const job = args.slice();
    job[countAt] = u1 - u0;
    for (let i = 0; i < ptrs.length; i++) {
      const at = ptrs[i];
      if (job[at] !== 0) job[at] += 4 * u0 * scale[i];
    }
    return job;
  });
}
