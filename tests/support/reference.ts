// A float64 reference for the property tests: a tiny dense nd-array in plain JavaScript with
// broadcasting, strided views (as index maps into a base), the ops and their analytic gradients.
// It shares no code with src/ or assembly/, so a bug there cannot hide in it.

export interface Nd { shape: number[]; data: Float64Array }

export const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
export const nd = (shape: readonly number[], data?: ArrayLike<number>): Nd =>
  ({ shape: [...shape], data: data ? Float64Array.from(data) : new Float64Array(numelOf(shape)) });

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

/** Calls f(flatIndex, multiIndex) for every element of `shape` in row-major order. */
export function forEachIndex(shape: readonly number[], f: (flat: number, idx: number[]) => void): void {
  const n = numelOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    f(flat, idx);
    for (let d = shape.length - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
}

// ---- views: a shape plus, for each element, the flat index of the base element it reads ------

/** One step of a view recipe, applied the same way to a Tensor and to the reference. */
export type ViewOp =
  | { op: 'permute'; dims: number[] }
  | { op: 'narrow'; dim: number; start: number; length: number }
  | { op: 'expand'; shape: number[] }
  | { op: 'flip'; dims: number[] }
  | { op: 'select'; dim: number; index: number }
  | { op: 'transpose'; d0: number; d1: number };

interface Strided { shape: number[]; strides: number[]; offset: number }

function applyStrided(v: Strided, o: ViewOp): Strided {
  const shape = [...v.shape], strides = [...v.strides];
  let offset = v.offset;
  switch (o.op) {
    case 'permute': return { shape: o.dims.map((d) => shape[d]), strides: o.dims.map((d) => strides[d]), offset };
    case 'transpose':
      [shape[o.d0], shape[o.d1]] = [shape[o.d1], shape[o.d0]];
      [strides[o.d0], strides[o.d1]] = [strides[o.d1], strides[o.d0]];
      return { shape, strides, offset };
    case 'narrow': offset += o.start * strides[o.dim]; shape[o.dim] = o.length; return { shape, strides, offset };
    case 'select': offset += o.index * strides[o.dim]; shape.splice(o.dim, 1); strides.splice(o.dim, 1); return { shape, strides, offset };
    case 'flip':
      for (const d of o.dims) { if (shape[d] > 0) offset += (shape[d] - 1) * strides[d]; strides[d] = -strides[d]; }
      return { shape, strides, offset };
    case 'expand': {
      const lead = o.shape.length - shape.length;
      return {
        shape: [...o.shape],
        strides: o.shape.map((s, i) => (i < lead ? 0 : shape[i - lead] === 1 && s !== 1 ? 0 : strides[i - lead])),
        offset,
      };
    }
  }
}

export interface ViewMap { shape: number[]; index: Int32Array }

/** The view of a contiguous base of `baseShape` that `ops` make, as an index map. */
export function viewMap(baseShape: readonly number[], ops: readonly ViewOp[]): ViewMap {
  let v: Strided = { shape: [...baseShape], strides: stridesOf(baseShape), offset: 0 };
  for (const o of ops) v = applyStrided(v, o);
  const index = new Int32Array(numelOf(v.shape));
  forEachIndex(v.shape, (flat, idx) => {
    let p = v.offset;
    for (let d = 0; d < idx.length; d++) p += idx[d] * v.strides[d];
    index[flat] = p;
  });
  return { shape: v.shape, index };
}

export const gatherView = (base: ArrayLike<number>, m: ViewMap): Nd => nd(m.shape, Array.from(m.index, (i) => base[i]));

/** The gradient of the base from the gradient of the view: each view element adds to what it reads. */
export function scatterView(g: Nd, m: ViewMap, baseNumel: number): Float64Array {
  const out = new Float64Array(baseNumel);
  for (let i = 0; i < m.index.length; i++) out[m.index[i]] += g.data[i];
  return out;
}

// ---- broadcasting ---------------------------------------------------------------------------

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length), out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** For each element of `out`, the flat index of the element of `shape` broadcast onto it. */
export function broadcastIndex(shape: readonly number[], out: readonly number[]): Int32Array {
  const st = stridesOf(shape), lead = out.length - shape.length;
  const r = new Int32Array(numelOf(out));
  forEachIndex(out, (flat, idx) => {
    let p = 0;
    for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) p += idx[d + lead] * st[d];
    r[flat] = p;
  });
  return r;
}

/** Sums a gradient of the broadcast shape down to `shape`. */
export function unbroadcast(g: Nd, shape: readonly number[]): Nd {
  const r = nd(shape), map = broadcastIndex(shape, g.shape);
  for (let i = 0; i < map.length; i++) r.data[map[i]] += g.data[i];
  return r;
}

export function map1(a: Nd, f: (x: number) => number): Nd { return nd(a.shape, Array.from(a.data, (v) => f(v))); }

export function map2(a: Nd, b: Nd, f: (x: number, y: number) => number): Nd {
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape) throw new Error(`reference: shapes ${a.shape} and ${b.shape} do not broadcast`);
  const ia = broadcastIndex(a.shape, shape), ib = broadcastIndex(b.shape, shape);
  const out = nd(shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = f(a.data[ia[i]], b.data[ib[i]]);
  return out;
}

// ---- elementwise functions and derivatives -----------------------------------------------------

/** erf to ~1e-16: Taylor series near 0, a continued fraction for erfc further out. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = a, sum = a;
    for (let n = 1; n < 200; n++) {
      term *= -a * a / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * sum * 2 / Math.sqrt(Math.PI);
  }
  return Math.sign(x) * (1 - erfcPos(a));
}

/** erfc(a) for a ≥ 2.5 by Lentz's continued fraction (relative accuracy ~1e-15, no cancellation). */
export function erfcPos(a: number): number {
  if (a === Infinity) return 0;
  // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + ...)))))
  let f = a, c = a, d = 0;
  for (let n = 1; n < 500; n++) {
    const an = n / 2;
    d = a + an * d; d = 1 / d;
    c = a + an / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
}

/** Φ(x), the standard normal CDF, without cancellation in either tail. */
export function normCdf(x: number): number {
  const z = x / Math.SQRT2;
  if (z < -2.5) return 0.5 * erfcPos(-z);
  return 0.5 * (1 + erf(z));
}

export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
export const gelu = (x: number): number => x * normCdf(x);
const gelu1 = (x: number): number => normCdf(x) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** Unary functions (value, derivative) in float64, with PyTorch's conventions at kinks. */
export const UNARY: Record<string, { f: (x: number, p?: number) => number; df: (x: number, p?: number) => number }> = {
  neg: { f: (x) => -x, df: () => -1 },
  exp: { f: Math.exp, df: Math.exp },
  log: { f: Math.log, df: (x) => 1 / x },
  sqrt: { f: Math.sqrt, df: (x) => 0.5 / Math.sqrt(x) },
  rsqrt: { f: (x) => 1 / Math.sqrt(x), df: (x) => -0.5 / (x * Math.sqrt(x)) },
  abs: { f: Math.abs, df: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0) },
  sign: { f: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), df: () => 0 },
  sin: { f: Math.sin, df: Math.cos },
  cos: { f: Math.cos, df: (x) => -Math.sin(x) },
  square: { f: (x) => x * x, df: (x) => 2 * x },
  reciprocal: { f: (x) => 1 / x, df: (x) => -1 / (x * x) },
  relu: { f: (x) => (x < 0 ? 0 : x), df: (x) => (x > 0 ? 1 : 0) },
  leakyRelu: { f: (x, p = 0.01) => (x > 0 ? x : x * p), df: (x, p = 0.01) => (x > 0 ? 1 : p) },
  sigmoid: { f: sigmoid, df: (x) => sigmoid(x) * (1 - sigmoid(x)) },
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2 },
  gelu: { f: gelu, df: gelu1 },
};

// ---- reductions ------------------------------------------------------------------------------

/** Normalised, sorted, distinct dims; undefined means all. */
export function normDims(dims: number | number[] | undefined | null, ndim: number): number[] {
  if (dims === undefined || dims === null) return [...Array(ndim).keys()];
  const list = (Array.isArray(dims) ? dims : [dims]).map((d) => (d < 0 ? d + ndim : d));
  return [...new Set(list)].sort((a, b) => a - b);
}

export interface Groups { outShape: number[]; keptShape: number[]; members: number[][] }

/** For each output element of a reduction over `dims`, the flat input indices it reduces (in order). */
export function groups(shape: readonly number[], dims: readonly number[], keepdim: boolean): Groups {
  const keptShape = shape.map((s, d) => (dims.includes(d) ? 1 : s));
  const outShape = keepdim ? keptShape : shape.filter((_, d) => !dims.includes(d));
  const kst = stridesOf(keptShape);
  const members: number[][] = Array.from({ length: numelOf(keptShape) }, () => []);
  forEachIndex(shape, (flat, idx) => {
    let p = 0;
    for (let d = 0; d < shape.length; d++) if (!dims.includes(d)) p += idx[d] * kst[d];
    members[p].push(flat);
  });
  return { outShape, keptShape, members };
}

/** A reduction of each group to one number, and the gradient of each member from the group's gradient. */
export function reduceGroups(x: Nd, g: Groups, f: (vals: number[]) => number): Nd {
  return nd(g.outShape, g.members.map((m) => f(m.map((i) => x.data[i]))));
}

export const sumOf = (v: number[]): number => v.reduce((a, b) => a + b, 0);
/** Max propagating NaN, as torch.amax. */
export const maxOf = (v: number[]): number => v.reduce((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)), -Infinity);
export const minOf = (v: number[]): number => v.reduce((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)), Infinity);
/** Index of the first maximum (NaN counts as the maximum), as torch.max(dim) / argmax. */
export function argmaxOf(v: number[], max = true): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) {
    if (Number.isNaN(v[best])) break;
    if (Number.isNaN(v[i]) || (max ? v[i] > v[best] : v[i] < v[best])) best = i;
  }
  return best;
}
export function logsumexpOf(v: number[]): number {
  const m = maxOf(v);
  if (m === -Infinity) return -Infinity;
  if (!Number.isFinite(m)) return m; // +inf or NaN
  return m + Math.log(sumOf(v.map((x) => Math.exp(x - m))));
}
export function varOf(v: number[], correction: number): number {
  const mu = sumOf(v) / v.length;
  return sumOf(v.map((x) => (x - mu) ** 2)) / Math.max(0, v.length - correction);
}

// ---- matmul ----------------------------------------------------------------------------------

/** torch.matmul in float64, with the 1-D promotion rules; `abs` also gives Σ|a||b| per output for error bounds. */
export function matmul(a: Nd, b: Nd): { out: Nd; scale: Nd } {
  const a2 = a.shape.length === 1 ? nd([1, a.shape[0]], a.data) : a;
  const b2 = b.shape.length === 1 ? nd([b.shape[0], 1], b.data) : b;
  const M = a2.shape[a2.shape.length - 2], K = a2.shape[a2.shape.length - 1], N = b2.shape[b2.shape.length - 1];
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2))!;
  const ia = broadcastIndex(a2.shape.slice(0, -2), batch), ib = broadcastIndex(b2.shape.slice(0, -2), batch);
  const outShape = [...batch, M, N];
  const out = nd(outShape), scale = nd(outShape);
  for (let bi = 0; bi < ia.length; bi++) {
    const pa = ia[bi] * M * K, pb = ib[bi] * K * N, po = bi * M * N;
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let s = 0, s1 = 0;
      for (let k = 0; k < K; k++) { const t = a2.data[pa + i * K + k] * b2.data[pb + k * N + j]; s += t; s1 += Math.abs(t); }
      out.data[po + i * N + j] = s; scale.data[po + i * N + j] = s1;
    }
  }
  let shape = outShape;
  if (a.shape.length === 1) shape = shape.filter((_, i) => i !== shape.length - 2);
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  return { out: nd(shape, out.data), scale: nd(shape, scale.data) };
}

/** Transpose of the last two dims (a 1-D tensor as it is). */
export function mT(a: Nd): Nd {
  if (a.shape.length < 2) return a;
  const n = a.shape.length, shape = [...a.shape];
  [shape[n - 2], shape[n - 1]] = [shape[n - 1], shape[n - 2]];
  const out = nd(shape), R = a.shape[n - 2], C = a.shape[n - 1];
  for (let b = 0; b < numelOf(a.shape) / Math.max(1, R * C); b++) {
    for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) out.data[b * R * C + j * R + i] = a.data[b * R * C + i * C + j];
  }
  return out;
}

/** Gradients of torch.matmul(a, b) given the gradient g of the output. */
export function matmulGrads(a: Nd, b: Nd, g: Nd): [Nd, Nd] {
  const a2 = a.shape.length === 1 ? nd([1, a.shape[0]], a.data) : a;
  const b2 = b.shape.length === 1 ? nd([b.shape[0], 1], b.data) : b;
  const M = a2.shape[a2.shape.length - 2], N = b2.shape[b2.shape.length - 1];
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2))!;
  const g2 = nd([...batch, M, N], g.data);
  const ga = unbroadcast(matmul(g2, mT(b2)).out, a2.shape), gb = unbroadcast(matmul(mT(a2), g2).out, b2.shape);
  return [nd(a.shape, ga.data), nd(b.shape, gb.data)];
}

// ---- softmax and losses ---------------------------------------------------------------------

/** Applies f to every 1-D line of x along dim (in place on a copy). */
export function alongDim(x: Nd, dim: number, f: (line: number[]) => number[]): Nd {
  const out = nd(x.shape, x.data);
  const inner = numelOf(x.shape.slice(dim + 1)), n = x.shape[dim], outer = numelOf(x.shape.slice(0, dim));
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    const line = Array.from({ length: n }, (_, k) => x.data[(o * n + k) * inner + i]);
    f(line).forEach((v, k) => { out.data[(o * n + k) * inner + i] = v; });
  }
  return out;
}

/** (x − max) − log Σ e^(x − max): PyTorch's order, so an all −∞ row or a +∞ entry gives NaN as there. */
export const logSoftmaxLine = (v: number[]): number[] => {
  const m = v.reduce((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)), -Infinity);
  const ls = Math.log(sumOf(v.map((x) => Math.exp(x - m))));
  return v.map((x) => x - m - ls);
};
export const softmaxLine = (v: number[]): number[] => logSoftmaxLine(v).map(Math.exp);

/** softmax'ᵀg = y ⊙ (g − Σ g·y); logSoftmax'ᵀg = g − softmax·Σg. */
export function softmaxBackward(y: Nd, g: Nd, dim: number, log: boolean): Nd {
  const out = nd(y.shape);
  const inner = numelOf(y.shape.slice(dim + 1)), n = y.shape[dim], outer = numelOf(y.shape.slice(0, dim));
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    const at = (k: number): number => (o * n + k) * inner + i;
    let s = 0;
    for (let k = 0; k < n; k++) s += log ? g.data[at(k)] : g.data[at(k)] * y.data[at(k)];
    for (let k = 0; k < n; k++) {
      out.data[at(k)] = log ? g.data[at(k)] - Math.exp(y.data[at(k)]) * s : y.data[at(k)] * (g.data[at(k)] - s);
    }
  }
  return out;
}

/** log(1 + eˣ) without overflow or cancellation. */
export const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/** Pointwise losses ℓ(x, y) and ∂ℓ/∂x, ∂ℓ/∂y (before the reduction). */
export const POINT_LOSS: Record<string, { f: (x: number, y: number, p: number) => number; dx: (x: number, y: number, p: number) => number; dy: (x: number, y: number, p: number) => number }> = {
  mse: { f: (x, y) => (x - y) ** 2, dx: (x, y) => 2 * (x - y), dy: (x, y) => -2 * (x - y) },
  l1: { f: (x, y) => Math.abs(x - y), dx: (x, y) => Math.sign(x - y), dy: (x, y) => -Math.sign(x - y) },
  smoothL1: {
    f: (x, y, b) => { const d = Math.abs(x - y); return d < b ? 0.5 * d * d / b : d - 0.5 * b; },
    dx: (x, y, b) => { const d = x - y; return Math.abs(d) < b ? d / b : Math.sign(d); },
    dy: (x, y, b) => { const d = x - y; return -(Math.abs(d) < b ? d / b : Math.sign(d)); },
  },
  huber: {
    f: (x, y, b) => { const d = Math.abs(x - y); return d < b ? 0.5 * d * d : b * (d - 0.5 * b); },
    dx: (x, y, b) => { const d = x - y; return Math.abs(d) < b ? d : b * Math.sign(d); },
    dy: (x, y, b) => { const d = x - y; return -(Math.abs(d) < b ? d : b * Math.sign(d)); },
  },
  // PyTorch clamps the logs at −100
  bce: {
    f: (x, y) => -(y * Math.max(Math.log(x), -100) + (1 - y) * Math.max(Math.log(1 - x), -100)),
    dx: (x, y) => (x - y) / Math.max((1 - x) * x, 1e-12),
    dy: (x) => Math.max(Math.log(1 - x), -100) - Math.max(Math.log(x), -100),
  },
  bceLogits: {
    f: (x, y) => (1 - y) * x + softplus(-x),
    dx: (x, y) => sigmoid(x) - y,
    dy: (x) => -x,
  },
  klDiv: { // input is log-probabilities, target probabilities; 0·log 0 = 0
    f: (x, y) => (y > 0 ? y * (Math.log(y) - x) : 0),
    dx: (_x, y) => -y,
    dy: (x, y) => (y > 0 ? Math.log(y) + 1 - x : 0),
  },
};

/** Cross-entropy with class indices over [N, C] logits: per-row losses and the logits' gradient. */
export function crossEntropyRows(logits: Nd, target: number[], weight: number[] | null, smoothing: number): { loss: number[]; w: number[]; grad: (rowScale: number[]) => Nd } {
  const [N, C] = logits.shape;
  const loss: number[] = [], w: number[] = [], logp: number[][] = [];
  for (let n = 0; n < N; n++) {
    const row = Array.from(logits.data.subarray(n * C, n * C + C));
    const lp = logSoftmaxLine(row);
    logp.push(lp);
    const t = target[n];
    const wt = weight ? weight[t] : 1;
    const nll = -lp[t] * wt;
    const smooth = -sumOf(lp.map((v, c) => v * (weight ? weight[c] : 1))) / C;
    loss.push((1 - smoothing) * nll + smoothing * smooth);
    w.push(wt);
  }
  const grad = (rowScale: number[]): Nd => {
    const g = nd([N, C]);
    for (let n = 0; n < N; n++) {
      // ∂/∂z of Σ_c q_c·(−log p_c) is p·Σq − q, with q the (weighted, smoothed) target weights
      const q = new Array<number>(C).fill(0);
      q[target[n]] += (1 - smoothing) * w[n];
      for (let c = 0; c < C; c++) q[c] += smoothing * (weight ? weight[c] : 1) / C;
      const sq = sumOf(q);
      for (let c = 0; c < C; c++) g.data[n * C + c] = rowScale[n] * (Math.exp(logp[n][c]) * sq - q[c]);
    }
    return g;
  };
  return { loss, w, grad };
}

// ---- comparison helpers ------------------------------------------------------------------------

export const EPS32 = 2 ** -23;

/** Distance in float32 ulps between a float32 `got` and a float64 `want` (∞ when only one is NaN or they differ in infinity). */
export function ulpDistance(got: number, want: number): number {
  if (Number.isNaN(got) || Number.isNaN(want)) return Number.isNaN(got) && Number.isNaN(want) ? 0 : Infinity;
  if (got === want) return 0;
  if (!Number.isFinite(got) || !Number.isFinite(want)) {
    // a float32 overflow of a finite float64 is exact enough when the value rounds to infinity
    return Math.fround(want) === got ? 0 : Infinity;
  }
  const ulp = ulpOf(Math.fround(want));
  return Math.abs(got - want) / ulp;
}

/** The float32 ulp at |x| (the denormal spacing below the smallest normal). */
export function ulpOf(x: number): number {
  const a = Math.abs(Math.fround(x));
  if (a < 2 ** -126) return 2 ** -149;
  if (!Number.isFinite(a)) return Infinity;
  F32[0] = a; // the exponent bits, exactly (log2 can round across a power of two)
  return 2 ** (((U32[0] >>> 23) & 0xff) - 127 - 23);
}
const F32 = new Float32Array(1), U32 = new Uint32Array(F32.buffer);
