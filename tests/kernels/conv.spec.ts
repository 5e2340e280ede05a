// The convolution kernels (assembly/conv.ts) against a direct f64 reference for the forward, and
// for the backward kernels the adjoint identities ⟨gy, conv(x)⟩ = ⟨gx, x⟩ (input gradient) and
// ⟨gy, conv_W(x)⟩ = ⟨gW, W⟩ (weight gradient), on geometries taking each path: im2col + GEMM
// (stride, padding, dilation, groups), a 1×1 kernel read in place, depthwise with stride 1 and 2.
// Buffers start 4 bytes past a 16-byte boundary.
import { convForward, convBackwardInput, convBackwardWeight, channelSum,
         depthwiseForward, depthwiseBackwardInput, depthwiseBackwardWeight } from '../../assembly/conv';
import { gemmPackABytes, gemmPackBBytes } from '../../assembly/matmul';

function buf(n: i32, seed: f32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), Mathf.sin(seed + <f32>i * 0.7) * 2);
  return p;
}
function at(p: usize, i: i32): f64 { return <f64>load<f32>(p + (<usize>i << 2)); }
function dot(a: usize, b: usize, n: i32): f64 { let s: f64 = 0; for (let i = 0; i < n; i++) s += at(a, i) * at(b, i); return s; }

// N, G, CG, H, W, OG, OH, OW, kH, kW, sH, sW, pH, pW, dH, dW
function geometry(v: i32[]): usize {
  const p = heap.alloc(64);
  for (let i = 0; i < 16; i++) store<i32>(p + (<usize>i << 2), v[i]);
  return p;
}
function g(geo: usize, i: i32): i32 { return load<i32>(geo + (<usize>i << 2)); }

/** y = W ⋆ x + b in f64, straight from the definition. */
function reference(geo: usize, x: usize, w: usize, b: usize, n: i32, o: i32, oh: i32, ow: i32): f64 {
  const G = g(geo, 1), CG = g(geo, 2), H = g(geo, 3), W = g(geo, 4), OG = g(geo, 5);
  const kH = g(geo, 8), kW = g(geo, 9);
  const grp = o / OG;
  let s: f64 = b == 0 ? 0 : at(b, o);
  for (let c = 0; c < CG; c++) {
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++) {
        const ih = oh * g(geo, 10) - g(geo, 12) + i * g(geo, 14);
        const iw = ow * g(geo, 11) - g(geo, 13) + j * g(geo, 15);
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
        s += at(w, ((o * CG + c) * kH + i) * kW + j) * at(x, (((n * G + grp) * CG + c) * H + ih) * W + iw);
      }
    }
  }
  return s;
}

function close(got: f64, want: f64, tol: f64, what: string): void {
  const ok = Math.abs(got - want) <= tol * (1 + Math.abs(want));
  if (!ok) expect<f64>(got).toBe(want, what);
  else expect<bool>(ok).toBe(true);
}

/** Runs forward, input and weight gradients and bias sums through `depthwise` or the GEMM kernels and checks them. */
function checkGeometry(v: i32[], depthwise: bool): void {
  const geo = geometry(v);
  const N = v[0], G = v[1], CG = v[2], H = v[3], W = v[4], OG = v[5], OH = v[6], OW = v[7];
  const KK = v[8] * v[9];
  const nx = N * G * CG * H * W, ny = N * G * OG * OH * OW, nw = G * OG * CG * KK;
  const x = buf(nx, 0.3), w = buf(nw, 1.1), b = buf(G * OG, 2.0), gy = buf(ny, 0.9);
  const y = buf(ny, 0), gx = buf(nx, 0), gw = buf(nw, 0), gb = buf(G * OG, 0);
  const col = buf(CG * KK * OH * OW, 0);
  const pa = heap.alloc(gemmPackABytes()), pb = heap.alloc(gemmPackBBytes());
  if (depthwise) depthwiseForward(geo, x, w, b, y);
  else convForward(geo, x, w, b, y, col, pa, pb);
  for (let n = 0; n < N; n++) for (let o = 0; o < G * OG; o++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    close(at(y, ((n * G * OG + o) * OH + oh) * OW + ow), reference(geo, x, w, b, n, o, oh, ow), 1e-5, 'forward');
  }
  // ⟨gy, y − b⟩ is linear in x and in W: it equals ⟨gx, x⟩ and ⟨gW, W⟩
  if (depthwise) depthwiseForward(geo, x, w, 0, y);
  else convForward(geo, x, w, 0, y, col, pa, pb);
  const lhs = dot(gy, y, ny);
  if (depthwise) depthwiseBackwardInput(geo, gy, w, 0, gx);
  else convBackwardInput(geo, gy, w, 0, gx, col, pa, pb);
  close(dot(gx, x, nx), lhs, 1e-5, 'input gradient (adjoint)');
  if (depthwise) depthwiseBackwardWeight(geo, x, gy, gw);
  else convBackwardWeight(geo, x, gy, gw, col, pa, pb, 0, 0);
  close(dot(gw, w, nw), lhs, 1e-5, 'weight gradient (adjoint)');
  channelSum(gy, gb, N, G * OG, OH * OW);
  for (let o = 0; o < G * OG; o++) {
    let s: f64 = 0;
    for (let n = 0; n < N; n++) for (let l = 0; l < OH * OW; l++) s += at(gy, (n * G * OG + o) * OH * OW + l);
    close(at(gb, o), s, 1e-5, 'bias gradient');
  }
  // a transposed convolution's forward starts from its bias: convBackwardInput with bias adds it
  const bx = buf(G * CG, 3.0), gxb = buf(nx, 0);
  if (depthwise) depthwiseBackwardInput(geo, gy, w, bx, gxb);
  else convBackwardInput(geo, gy, w, bx, gxb, col, pa, pb);
  for (let i = 0; i < nx; i++) close(at(gxb, i), at(gx, i) + at(bx, (i / (H * W)) % (G * CG)), 1e-5, 'input gradient + bias');
}

describe('convolution kernels', () => {
  it('im2col + GEMM: 3×3, padding 1, two samples', () => {
    checkGeometry([2, 1, 3, 6, 5, 4, 6, 5, 3, 3, 1, 1, 1, 1, 1, 1], false);
  });
  it('im2col + GEMM: stride 2×3, dilation 2×1, padding past the kernel, groups 2', () => {
    checkGeometry([2, 2, 2, 9, 11, 3, 7, 5, 2, 3, 2, 3, 3, 2, 2, 1], false);
  });
  it('1×1, stride 1: the image is the column matrix', () => {
    checkGeometry([2, 1, 5, 4, 3, 7, 4, 3, 1, 1, 1, 1, 0, 0, 1, 1], false);
  });
  it('depthwise, stride 1, rows wider than a register block', () => {
    checkGeometry([2, 3, 1, 7, 21, 1, 7, 21, 3, 3, 1, 1, 1, 1, 1, 1], true);
  });
  it('depthwise with a multiplier of 2, 5×5, padding 3', () => {
    checkGeometry([1, 2, 1, 4, 13, 2, 6, 15, 5, 5, 1, 1, 3, 3, 1, 1], true);
  });
  it('depthwise, stride 2, dilation 2', () => {
    checkGeometry([2, 3, 1, 9, 8, 1, 5, 4, 3, 3, 2, 2, 2, 2, 2, 2], true);
  });
});
