// assembly/pool.ts and assembly/resample.ts against scalar references written here: the 2×2
// stride-2 v128 max pooling (values and indices, ties, NaN, odd sizes with ceilMode's partial
// windows) and the v128 rows of any window at strides 1 and 2 against a plain window scan, max-pool backward's scatter and the 2×2 direct write, average pooling's divisors,
// padding's index maps (the straight memory.copy span and the edges) and nearest ×2 upsampling's
// v128 path, the 2×2 average's v128 rows. Buffers start 4 bytes past a 16-byte boundary.
import { maxPool2d, maxPool2dBackward, maxPool2x2Backward, avgPool2d } from '../../assembly/pool';
import { padIndexed, upsampleNearest, PAD_REFLECT, PAD_REPLICATE, PAD_CIRCULAR } from '../../assembly/resample';

function buf(n: i32): usize { return heap.alloc(<usize>(n + 4) << 2) + 4; }
function fat(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
function iat(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
function fset(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
function same(a: f32, b: f32): bool { return (a != a && b != b) || a == b; }

/** Small integers (many ties), a NaN now and then. */
function fill(p: usize, n: i32, seed: i32): void {
  for (let i = 0; i < n; i++) {
    const k = (i * 7 + seed * 5) % 13;
    fset(p, i, k == 12 ? NaN : <f32>(k % 4));
  }
}

describe('maxPool2d 2×2 stride 2', () => {
  it('matches a plain window scan (first max wins ties, the last NaN wins) for even and odd sizes, with ceilMode', () => {
    const sizes: i32[] = [2, 2, 4, 9, 5, 7, 26, 26, 3, 17];
    for (let s = 0; s < sizes.length; s += 2) {
      const H = sizes[s], W = sizes[s + 1];
      for (let ceil = 0; ceil < 2; ceil++) {
        const OH = ceil ? (H + 1) >> 1 : H >> 1, OW = ceil ? (W + 1) >> 1 : W >> 1;
        const planes = 2;
        const x = buf(planes * H * W), out = buf(planes * OH * OW), idx = buf(planes * OH * OW);
        fill(x, planes * H * W, s + ceil);
        maxPool2d(x, out, idx, planes, H, W, OH, OW, 2, 2, 2, 2, 0, 0, 1, 1, true);
        for (let p = 0; p < planes; p++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
          let best: f32 = -Infinity, bi = 2 * oh * W + 2 * ow;
          for (let ih = 2 * oh; ih < min(2 * oh + 2, H); ih++) for (let iw = 2 * ow; iw < min(2 * ow + 2, W); iw++) {
            const v = fat(x, p * H * W + ih * W + iw);
            if (v > best || v != v) { best = v; bi = ih * W + iw; }
          }
          const k = p * OH * OW + oh * OW + ow;
          expect<bool>(same(fat(out, k), best)).toBe(true, 'value');
          expect<i32>(iat(idx, k)).toBe(bi, 'index');
        }
        // backward: every output's gradient lands on its index
        const g = buf(planes * OH * OW), dx = buf(planes * H * W);
        for (let i = 0; i < planes * OH * OW; i++) fset(g, i, <f32>(i + 1));
        maxPool2dBackward(g, idx, dx, planes, H * W, OH * OW);
        let total: f32 = 0;
        for (let i = 0; i < planes * H * W; i++) total += fat(dx, i);
        expect<f32>(total).toBe(<f32>(planes * OH * OW * (planes * OH * OW + 1) / 2), 'gradient sum');
        for (let p = 0; p < planes; p++) for (let k = 0; k < OH * OW; k++) {
          expect<f32>(fat(dx, p * H * W + iat(idx, p * OH * OW + k))).toBe(fat(g, p * OH * OW + k), 'scatter');
        }
        // the direct-write 2×2 backward gives the scatter's result, every element written (dx2 starts as garbage)
        const dx2 = buf(planes * H * W);
        for (let i = 0; i < planes * H * W; i++) fset(dx2, i, 12345);
        maxPool2x2Backward(g, idx, dx2, planes, H, W, OH, OW);
        for (let i = 0; i < planes * H * W; i++) expect<f32>(fat(dx2, i)).toBe(fat(dx, i), 'direct write');
      }
    }
  });
});

describe('maxPool2d, any window', () => {
  it('matches a plain window scan for strides 1 and 2 (the v128 rows) and 3, with padding, dilation and ceilMode', () => {
    // H, W, kH, kW, sH, sW, pH, pW, dH, dW, ceil
    const G: i32[] = [9, 13, 3, 3, 1, 1, 1, 1, 1, 1, 0, 8, 17, 3, 3, 2, 2, 1, 1, 1, 1, 1, 7, 23, 2, 3, 1, 2, 1, 1, 2, 2, 0,
      6, 30, 3, 2, 2, 1, 0, 1, 1, 3, 1, 5, 11, 1, 4, 1, 1, 0, 2, 1, 1, 0, 7, 20, 3, 3, 2, 3, 1, 1, 1, 1, 1];
    for (let q = 0; q < G.length; q += 11) {
      const H = G[q], W = G[q + 1], kH = G[q + 2], kW = G[q + 3], sH = G[q + 4], sW = G[q + 5];
      const pH = G[q + 6], pW = G[q + 7], dH = G[q + 8], dW = G[q + 9], ceil = G[q + 10] != 0;
      let OH = (H + 2 * pH - dH * (kH - 1) - 1 + (ceil ? sH - 1 : 0)) / sH + 1;
      let OW = (W + 2 * pW - dW * (kW - 1) - 1 + (ceil ? sW - 1 : 0)) / sW + 1;
      if (ceil && (OH - 1) * sH >= H + pH) OH--;
      if (ceil && (OW - 1) * sW >= W + pW) OW--;
      const planes = 2;
      const x = buf(planes * H * W), out = buf(planes * OH * OW), idx = buf(planes * OH * OW);
      fill(x, planes * H * W, q);
      maxPool2d(x, out, idx, planes, H, W, OH, OW, kH, kW, sH, sW, pH, pW, dH, dW, true);
      for (let p = 0; p < planes; p++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
        let h0 = oh * sH - pH, w0 = ow * sW - pW;
        const h1 = min(h0 + (kH - 1) * dH + 1, H), w1 = min(w0 + (kW - 1) * dW + 1, W);
        while (h0 < 0) h0 += dH;
        while (w0 < 0) w0 += dW;
        let best: f32 = -Infinity, bi = h0 * W + w0;
        for (let ih = h0; ih < h1; ih += dH) for (let iw = w0; iw < w1; iw += dW) {
          const v = fat(x, p * H * W + ih * W + iw);
          if (v > best || v != v) { best = v; bi = ih * W + iw; }
        }
        const k = p * OH * OW + oh * OW + ow;
        expect<bool>(same(fat(out, k), best)).toBe(true, 'value');
        expect<i32>(iat(idx, k)).toBe(bi, 'index');
      }
    }
  });
});

describe('avgPool2d', () => {
  it('divides by the padded window (countIncludePad), the clipped window, or the override', () => {
    const H = 5, W = 5, OH = 3, OW = 3;
    const x = buf(H * W), out = buf(OH * OW);
    for (let i = 0; i < H * W; i++) fset(x, i, 1);
    // k2 s2 p1 ceil: the corner window holds 1 input of 4 taps; the last row's windows are cut by the end of the padding
    avgPool2d(x, out, 1, H, W, OH, OW, 2, 2, 2, 2, 1, 1, true, 0);
    expect<f32>(fat(out, 0)).toBe(0.25);
    expect<f32>(fat(out, 4)).toBe(1);
    avgPool2d(x, out, 1, H, W, OH, OW, 2, 2, 2, 2, 1, 1, false, 0);
    for (let i = 0; i < OH * OW; i++) expect<f32>(fat(out, i)).toBe(1);
    avgPool2d(x, out, 1, H, W, OH, OW, 2, 2, 2, 2, 1, 1, true, 2);
    expect<f32>(fat(out, 0)).toBe(0.5);
    expect<f32>(fat(out, 4)).toBe(2);
  });
  it('2×2 stride 2: the v128 rows give the scalar sums bit for bit (odd sizes, ceilMode, −0)', () => {
    const H = 7, W = 19, OH = 4, OW = 10;
    const x = buf(H * W), out = buf(OH * OW);
    for (let i = 0; i < H * W; i++) fset(x, i, i % 5 == 0 ? -0.0 : Mathf.sin(<f32>i) * 3);
    for (let i = 0; i < 4; i++) fset(x, i, -0.0);
    fset(x, W, -0.0); fset(x, W + 1, -0.0);
    avgPool2d(x, out, 1, H, W, OH, OW, 2, 2, 2, 2, 0, 0, true, 0);
    for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
      let s: f32 = 0;
      let n = 0;
      for (let ih = 2 * oh; ih < min(2 * oh + 2, H); ih++) for (let iw = 2 * ow; iw < min(2 * ow + 2, W); iw++) { s += fat(x, ih * W + iw); n++; }
      const want = s / <f32>n;
      const got = fat(out, oh * OW + ow);
      expect<u32>(reinterpret<u32>(got)).toBe(reinterpret<u32>(want), 'bits');
    }
  });
});

function ref(mode: i32, o: i32, pl: i32, n: i32): i32 {
  const i = o - pl;
  if (mode == PAD_REPLICATE) return i < 0 ? 0 : i >= n ? n - 1 : i;
  if (mode == PAD_CIRCULAR) return ((i % n) + n) % n;
  return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
}

describe('padIndexed', () => {
  it('reads reflect, replicate and circular positions (positive pads) on the straight span and the edges', () => {
    const H = 3, W = 9;
    const x = buf(H * W);
    for (let i = 0; i < H * W; i++) fset(x, i, <f32>i);
    for (let mode = 1; mode <= 3; mode++) {
      const pl = mode == PAD_REFLECT ? 8 : 5, pr = 3, pt = 2, pb = 1;
      const OH = H + pt + pb, OW = W + pl + pr;
      const out = buf(OH * OW);
      padIndexed(x, out, 1, 1, H, W, 1, OH, OW, 0, 0, pt, pb, pl, pr, mode);
      for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
        expect<f32>(fat(out, oh * OW + ow)).toBe(fat(x, ref(mode, oh, pt, H) * W + ref(mode, ow, pl, W)));
      }
    }
  });
});

describe('upsampleNearest ×2', () => {
  it('writes each input twice along both dims (the v128 path and its tail)', () => {
    const H = 2, W = 7;
    const x = buf(H * W), out = buf(4 * H * W);
    for (let i = 0; i < H * W; i++) fset(x, i, <f32>i);
    upsampleNearest(x, out, 1, H, W, 2 * H, 2 * W, 2, 2, false);
    for (let oh = 0; oh < 2 * H; oh++) for (let ow = 0; ow < 2 * W; ow++) {
      expect<f32>(fat(out, oh * 2 * W + ow)).toBe(fat(x, (oh >> 1) * W + (ow >> 1)));
    }
  });
});
