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
  selectWhere(c: number, a: number, b: number, out: number, nd: number, meta: number): void;
  reduceBool(op: number, x: number, out: number, outer: number, n: number, inner: number): void;
  reduce(op: number, x: number, out: number, outer: number, n: number, inner: number): void;
  indexBackward(g: number, idx: number, out: number, outer: number, n: number, inner: number): void;
  reduceI32(op: number, x: number, out: number, outer: number, n: number, inner: number): void;
  moments(x: number, mean: number, out: number, outer: number, n: number, inner: number, divisor: number, takeSqrt: number): void;
  momentsBackward(x: number, mean: number, res: number, g: number, dx: number, outer: number, n: number, inner: number, divisor: number, isStd: number): void;
  logsumexp(x: number, out: number, outer: number, n: number, inner: number): void;
  prodBackward(x: number, g: number, dx: number, outer: number, n: number, inner: number): void;
  tieBackward(x: number, v: number, g: number, dx: number, outer: number, n: number, inner: number, absMode: number): void;
  pnorm(x: number, out: number, outer: number, n: number, inner: number, p: number): void;
  pnormBackward(x: number, norm: number, g: number, dx: number, outer: number, n: number, inner: number, p: number): void;
  cumsum(x: number, out: number, outer: number, n: number, inner: number, reverse: number, isInt: number): void;
  gemm(M: number, N: number, K: number, A: number, lda: number, transA: number,
       B: number, ldb: number, transB: number, C: number, ldc: number, accumulate: number,
       pa: number, pb: number): void;
  gemmBias(M: number, N: number, K: number, A: number, lda: number, transA: number,
           B: number, ldb: number, transB: number, C: number, ldc: number, bias: number,
           pa: number, pb: number): void;
  gemmPackABytes(): number;
  gemmPackBBytes(): number;
  softmax(x: number, y: number, outer: number, n: number, inner: number, log: number): void;
  softmaxBackward(y: number, g: number, dx: number, outer: number, n: number, inner: number, log: number): void;
  crossEntropyNd(x: number, t: number, w: number, out: number, logp: number, outer: number, C: number, inner: number,
                 ignoreIndex: number, smoothing: number, reduce: number, scale: number): void;
  crossEntropyNdBackward(logp: number, t: number, w: number, g: number, gs: number, dx: number, outer: number, C: number, inner: number,
                         ignoreIndex: number, smoothing: number, scale: number): void;
  crossEntropyProbsNd(x: number, t: number, w: number, out: number, logp: number, outer: number, C: number, inner: number,
                      smoothing: number, reduce: number, scale: number): void;
  crossEntropyProbsNdBackward(logp: number, t: number, w: number, g: number, gs: number, dx: number, dt: number,
                              outer: number, C: number, inner: number, smoothing: number, scale: number): void;
  nllLoss(x: number, t: number, w: number, out: number, outer: number, C: number, inner: number, ignoreIndex: number, reduce: number, scale: number): void;
  nllLossBackward(t: number, w: number, g: number, gs: number, dx: number, outer: number, C: number, inner: number, ignoreIndex: number, scale: number): void;
  elementLoss(kind: number, a: number, b: number, out: number, n: number, p: number, reduce: number, scale: number): void;
  elementLossBackward(kind: number, a: number, b: number, g: number, gs: number, da: number, db: number, n: number, p: number, scale: number): void;
  klDiv(x: number, t: number, out: number, n: number, logTarget: number, reduce: number, scale: number): void;
  klDivBackward(x: number, t: number, g: number, gs: number, dx: number, dt: number, n: number, logTarget: number, scale: number): void;
  bce(x: number, y: number, w: number, wn: number, out: number, n: number, reduce: number, scale: number): number;
  bceBackward(x: number, y: number, w: number, wn: number, g: number, gs: number, dx: number, dy: number, n: number, scale: number): void;
  bceLogits(x: number, y: number, w: number, wn: number, pw: number, pn: number, out: number, n: number, reduce: number, scale: number): void;
  bceLogitsBackward(x: number, y: number, w: number, wn: number, pw: number, pn: number, g: number, gs: number,
                    dx: number, dy: number, n: number, scale: number): void;
  sgd(p: number, g: number, buf: number, n: number, lr: number, momentum: number, dampening: number,
      wd: number, nesterov: number, maximize: number, first: number): void;
  adam(p: number, g: number, m: number, v: number, vmax: number, n: number, lr: number, beta1: number,
       beta2: number, eps: number, wd: number, decoupled: number, amsgrad: number, maximize: number,
       bc1: number, bc2: number): void;
  rmsprop(p: number, g: number, sq: number, buf: number, ga: number, n: number, lr: number, alpha: number,
          eps: number, wd: number, momentum: number, centered: number, maximize: number): void;
  indexCheck(idx: number, n: number, size: number): number;
  copyToStrided(src: number, dst: number, nd: number, meta: number, mode: number): void;
  indexSelect(src: number, idx: number, out: number, outer: number, nSrc: number, inner: number, nIdx: number): void;
  indexAdd(g: number, idx: number, out: number, outer: number, nOut: number, inner: number, nIdx: number): void;
  gather(src: number, idx: number, out: number, nd: number, dim: number, meta: number): void;
  scatter(dst: number, idx: number, src: number, nd: number, dim: number, meta: number, mode: number, value: number): void;
  triMask(src: number, out: number, batch: number, rows: number, cols: number, k: number, upper: number): void;
  adagrad(p: number, g: number, sum: number, n: number, clr: number, eps: number, wd: number, maximize: number): void;
  adadelta(p: number, g: number, sq: number, acc: number, n: number, lr: number, rho: number, eps: number,
           wd: number, maximize: number): void;
  adamax(p: number, g: number, m: number, u: number, n: number, clr: number, beta1: number, beta2: number,
         eps: number, wd: number, maximize: number): void;
  nadam(p: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number,
        eps: number, wd: number, decoupled: number, maximize: number, bc2: number, c1: number, c2: number): void;
  radam(p: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number,
        eps: number, wd: number, decoupled: number, maximize: number, bc1: number, bc2Sqrt: number, rect: number): void;
  /** float32 → int32 truncating toward zero; -1, or the index of the first NaN/±Inf/out-of-range element. */
  castFloatToInt(x: number, out: number, n: number): number;
  rowNorm(x: number, y: number, mean: number, rstd: number, w: number, b: number, rows: number, G: number, cpr: number, L: number, eps: number, flags: number): void;
  rowNormBackward(x: number, dy: number, mean: number, rstd: number, w: number, dx: number, dw: number, db: number,
                  rows: number, G: number, cpr: number, L: number, flags: number): void;
  batchNorm(x: number, y: number, mean: number, rstd: number, w: number, b: number, rm: number, rv: number,
            N: number, C: number, L: number, eps: number, momentum: number, flags: number): void;
  batchNormBackward(x: number, dy: number, mean: number, rstd: number, w: number, dx: number, dw: number, db: number,
                    N: number, C: number, L: number, flags: number): void;
  embeddingBackward(g: number, idx: number, dw: number, n: number, D: number, V: number, paddingIdx: number, counts: number): void;
  embeddingRenorm(w: number, idx: number, n: number, D: number, V: number, maxNorm: number, p: number, seen: number): void;
  maxPool2d(x: number, out: number, idx: number, planes: number, H: number, W: number, OH: number, OW: number,
            kH: number, kW: number, sH: number, sW: number, pH: number, pW: number, dH: number, dW: number, wantIdx: number): void;
  maxPool2dBackward(g: number, idx: number, dx: number, planes: number, inSize: number, outSize: number): void;
  maxPool2x2Backward(g: number, idx: number, dx: number, planes: number, H: number, W: number, OH: number, OW: number): void;
  avgPool2d(x: number, out: number, planes: number, H: number, W: number, OH: number, OW: number, kH: number, kW: number,
            sH: number, sW: number, pH: number, pW: number, countIncludePad: number, divisorOverride: number): void;
  avgPool2dBackward(g: number, dx: number, planes: number, H: number, W: number, OH: number, OW: number, kH: number, kW: number,
                    sH: number, sW: number, pH: number, pW: number, countIncludePad: number, divisorOverride: number): void;
  adaptiveAvgPool2d(x: number, out: number, planes: number, H: number, W: number, OH: number, OW: number): void;
  adaptiveAvgPool2dBackward(g: number, dx: number, planes: number, H: number, W: number, OH: number, OW: number): void;
  padIndexed(x: number, out: number, planes: number, D: number, H: number, W: number, OD: number, OH: number, OW: number,
             pdl: number, pdr: number, phl: number, phr: number, pwl: number, pwr: number, mode: number): void;
  padIndexedBackward(g: number, dx: number, planes: number, D: number, H: number, W: number, OD: number, OH: number, OW: number,
                     pdl: number, pdr: number, phl: number, phr: number, pwl: number, pwr: number, mode: number): void;
  upsampleNearest(x: number, out: number, planes: number, H: number, W: number, OH: number, OW: number, scaleH: number, scaleW: number,
                  shortcuts: number): void;
  upsampleNearestBackward(g: number, dx: number, planes: number, H: number, W: number, OH: number, OW: number, scaleH: number, scaleW: number): void;
  upsampleBilinear(x: number, out: number, planes: number, H: number, W: number, OH: number, OW: number,
                   alignCorners: number, scaleH: number, scaleW: number): void;
  upsampleBilinearBackward(g: number, dx: number, planes: number, H: number, W: number, OH: number, OW: number,
                           alignCorners: number, scaleH: number, scaleW: number): void;
  convForward(geo: number, x: number, w: number, bias: number, y: number, col: number, pa: number, pb: number): void;
  convBackwardInput(geo: number, gy: number, w: number, bias: number, gx: number, col: number, pa: number, pb: number): void;
  convBackwardWeight(geo: number, x: number, gy: number, gw: number, col: number, pa: number, pb: number, k0: number, k1: number): void;
  channelSum(g: number, out: number, N: number, C: number, L: number): void;
  depthwiseForward(geo: number, x: number, w: number, bias: number, y: number): void;
  depthwiseBackwardInput(geo: number, gy: number, w: number, bias: number, gx: number): void;
  depthwiseBackwardWeight(geo: number, x: number, gy: number, gw: number): void;
}

// Op codes, mirrored from assembly/elementwise.ts and assembly/reduce.ts.
export const Unary = {
  neg: 0, exp: 1, log: 2, sqrt: 3, abs: 4, relu: 5, sigmoid: 6, tanh: 7, gelu: 8, leakyRelu: 9,
  clamp: 10, powScalar: 11, square: 12, rsqrt: 13, reciprocal: 14, sign: 15, sin: 16, cos: 17, affine: 18,
  ineg: 19, iabs: 20, isign: 21, intToFloat: 22, isnan: 23, isfinite: 24, notFloat: 25, notInt: 26, nonzeroFloat: 27, nonzeroInt: 28,
} as const;
export type UnaryName = keyof typeof Unary;

export const Binary = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, eq: 7, ne: 8, gt: 9, ge: 10, lt: 11, le: 12,
  iadd: 13, isub: 14, imul: 15, imaximum: 16, iminimum: 17, ieq: 18, ine: 19, igt: 20, ige: 21, ilt: 22, ile: 23,
  logicalAnd: 24, logicalOr: 25, logicalXor: 26, ipow: 27,
} as const;
export type BinaryName = keyof typeof Binary;

export const Reduce = { sum: 0, max: 1, min: 2, argmax: 3, argmin: 4, prod: 5 } as const;

/** Flags of the normalization kernels, mirrored from assembly/norm.ts. */
export const NormFlag = { hasW: 1, hasB: 2, training: 4, update: 8, needDx: 16, needDw: 32, needDb: 64 } as const;
