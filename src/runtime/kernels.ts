// Typed bindings of the WebAssembly exports (assembly/index.ts). Pointers are byte addresses
// in linear memory; booleans cross as 0/1.
export interface Kernels {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  memoryBytes(): number;
  unary(op: number, x: number, out: number, n: number, p1: number, p2: number): void;
  unaryBackward(op: number, x: number, y: number, g: number, out: number, n: number, p1: number, p2: number): void;
  binaryRun(op: number, a: number, sa: number, b: number, sb: number, out: number, n: number): void;
  fill(out: number, n: number, value: number): void;
  axpy(y: number, x: number, n: number, alpha: number): void;
  binaryStrided(op: number, a: number, b: number, out: number, nd: number, meta: number): void;
  copyStrided(src: number, dst: number, nd: number, meta: number): void;
  reduce(op: number, x: number, out: number, outer: number, n: number, inner: number): void;
  indexBackward(g: number, idx: number, out: number, outer: number, n: number, inner: number): void;
  gemm(M: number, N: number, K: number, A: number, lda: number, transA: number,
       B: number, ldb: number, transB: number, C: number, ldc: number, accumulate: number,
       pa: number, pb: number): void;
  gemmPackABytes(): number;
  gemmPackBBytes(): number;
  softmax(x: number, y: number, outer: number, n: number, inner: number, log: number): void;
  softmaxBackward(y: number, g: number, dx: number, outer: number, n: number, inner: number, log: number): void;
  crossEntropy(x: number, t: number, out: number, logp: number, rows: number, C: number, ignoreIndex: number): void;
  crossEntropyBackward(logp: number, t: number, g: number, gs: number, dx: number, rows: number, C: number, ignoreIndex: number, scale: number): void;
  crossEntropyProbs(x: number, t: number, out: number, logp: number, rows: number, C: number): void;
  crossEntropyProbsBackward(logp: number, t: number, g: number, gs: number, dx: number, rows: number, C: number, scale: number): void;
  pointwiseLoss(kind: number, a: number, b: number, out: number, n: number): void;
  pointwiseLossSum(kind: number, a: number, b: number, out: number, n: number): void;
  pointwiseLossBackward(kind: number, a: number, b: number, g: number, gs: number, da: number, n: number, scale: number): void;
  sgd(p: number, g: number, buf: number, n: number, lr: number, momentum: number, dampening: number,
      wd: number, nesterov: number, maximize: number, first: number): void;
  adam(p: number, g: number, m: number, v: number, vmax: number, n: number, lr: number, beta1: number,
       beta2: number, eps: number, wd: number, decoupled: number, amsgrad: number, maximize: number,
       bc1: number, bc2: number): void;
  rmsprop(p: number, g: number, sq: number, buf: number, ga: number, n: number, lr: number, alpha: number,
          eps: number, wd: number, momentum: number, centered: number, maximize: number): void;
}

// Op codes, mirrored from assembly/elementwise.ts and assembly/reduce.ts.
export const Unary = {
  neg: 0, exp: 1, log: 2, sqrt: 3, abs: 4, relu: 5, sigmoid: 6, tanh: 7, gelu: 8, leakyRelu: 9,
  clamp: 10, powScalar: 11, square: 12, rsqrt: 13, reciprocal: 14, sign: 15, sin: 16, cos: 17, affine: 18,
} as const;
export type UnaryName = keyof typeof Unary;

export const Binary = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, eq: 7, ne: 8, gt: 9, ge: 10, lt: 11, le: 12,
} as const;
export type BinaryName = keyof typeof Binary;

export const Reduce = { sum: 0, max: 1, min: 2, argmax: 3, argmin: 4 } as const;
