// assembly/dtype.ts: castFloatToInt against a scalar reference (truncation toward zero), for lengths
// on and off the SIMD width, buffers 4 bytes past a 16-byte boundary, and the index of the first
// NaN, ±Infinity or out-of-range element in any lane of the v128 loop and in the scalar tail.
import { castFloatToInt } from '../../assembly/dtype';

const LENGTHS: i32[] = [0, 1, 3, 4, 7, 16, 33];

function fbuf(n: i32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) {
    // fractions of both signs, -0.0, and the largest float32 values inside int32
    const k = i % 9;
    const v: f32 = k == 7 ? -0.0 : k == 8 ? (i % 2 == 0 ? 2147483520.0 : -2147483648.0) : <f32>(k - 4) * 0.75 + <f32>i * 0.001;
    store<f32>(p + (<usize>i << 2), v);
  }
  return p;
}
function ibuf(n: i32): usize { return heap.alloc(<usize>(n + 4) << 2) + 4; }

describe('castFloatToInt', () => {
  it('truncates toward zero like a scalar f32 → i32 conversion', () => {
    for (let j = 0; j < LENGTHS.length; j++) {
      const n = LENGTHS[j];
      const x = fbuf(n), out = ibuf(n);
      expect(castFloatToInt(x, out, n)).toBe(-1);
      for (let i = 0; i < n; i++) {
        const v = load<f32>(x + (<usize>i << 2));
        expect(load<i32>(out + (<usize>i << 2))).toBe(<i32>v);
      }
      heap.free(x - 4); heap.free(out - 4);
    }
  });
  it('reports the first NaN, ±Infinity or out-of-range element, in every lane and in the tail', () => {
    const bad: f32[] = [NaN, Infinity, -Infinity, 2147483648.0, -2147483904.0, 1e30];
    for (let j = 0; j < LENGTHS.length; j++) {
      const n = LENGTHS[j];
      for (let at = 0; at < n; at++) {
        for (let b = 0; b < bad.length; b++) {
          const x = fbuf(n), out = ibuf(n);
          store<f32>(x + (<usize>at << 2), bad[b]);
          if (at + 2 < n) store<f32>(x + (<usize>(at + 2) << 2), NaN); // a later bad element is not the one reported
          expect(castFloatToInt(x, out, n)).toBe(at);
          heap.free(x - 4); heap.free(out - 4);
        }
      }
    }
  });
});
