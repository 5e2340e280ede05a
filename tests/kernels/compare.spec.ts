// The compare family's kernels against scalar references written here: the i32-word binary codes
// (int32 arithmetic, comparisons to bool, logical ops) and unary codes of assembly/elementwise.ts,
// the float comparisons' v128 path, the three-operand select and the any/all reduction of
// assembly/compare.ts. Lengths are not multiples of 4; buffers start 4 bytes past a 16-byte boundary.
import { unary, binaryRun, B_EQ, B_LE, B_IADD, B_IPOW, B_MAX, B_MIN, U_INEG, U_NZ_I } from '../../assembly/elementwise';
import { selectWhere, reduceBool, R_ANY, R_ALL } from '../../assembly/compare';

const LENGTHS: i32[] = [1, 3, 4, 7, 16, 33];

function ibuf(n: i32, seed: i32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  // small values with many ties and zeros, plus the int32 extremes now and then
  for (let i = 0; i < n; i++) {
    const k = (i * 7 + seed * 13) % 11;
    const v: i32 = k == 9 ? i32.MAX_VALUE : k == 10 ? i32.MIN_VALUE : k - 4;
    store<i32>(p + (<usize>i << 2), v);
  }
  return p;
}
function fbuf(n: i32, seed: i32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) {
    const k = (i * 5 + seed * 3) % 9;
    const v: f32 = k == 8 ? NaN : k == 7 ? -0.0 : <f32>(k - 3) * 0.5;
    store<f32>(p + (<usize>i << 2), v);
  }
  return p;
}
function iat(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
function fat(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }

function intRef(op: i32, a: i32, b: i32): i32 {
  switch (op) {
    case 13: return a + b;
    case 14: return a - b;
    case 15: return a * b;
    case 16: return a > b ? a : b;
    case 17: return a < b ? a : b;
    case 18: return a == b ? 1 : 0;
    case 19: return a != b ? 1 : 0;
    case 20: return a > b ? 1 : 0;
    case 21: return a >= b ? 1 : 0;
    case 22: return a < b ? 1 : 0;
    case 23: return a <= b ? 1 : 0;
    case 24: return a != 0 && b != 0 ? 1 : 0;
    case 25: return a != 0 || b != 0 ? 1 : 0;
    case 26: return (a != 0) != (b != 0) ? 1 : 0;
    case 27: {
      // naive repeated multiplication (wrapping); huge exponents are checked in ipowBig below
      if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) != 0 ? -1 : 1) : 0;
      let r: i32 = 1;
      for (let k = 0; k < b; k++) r *= a;
      return r;
    }
  }
  return -99;
}
function cmpRef(op: i32, a: f32, b: f32): i32 {
  switch (op) {
    case 7: return a == b ? 1 : 0;
    case 8: return a != b ? 1 : 0;
    case 9: return a > b ? 1 : 0;
    case 10: return a >= b ? 1 : 0;
    case 11: return a < b ? 1 : 0;
    case 12: return a <= b ? 1 : 0;
  }
  return -99;
}

describe('binaryRun, i32-word codes', () => {
  it('matches the scalar reference for every code, stride pattern and length', () => {
    for (let op = B_IADD; op <= B_IPOW; op++) {
      for (let li = 0; li < LENGTHS.length; li++) {
        const n = LENGTHS[li];
        const a = ibuf(n, 1), b = ibuf(n, 2), out = ibuf(n, 0);
        // exponents of int32's extremes would make the naive reference loop 2^31 times
        if (op == B_IPOW) for (let i = 0; i < n; i++) if (iat(b, i) > 40) store<i32>(b + (<usize>i << 2), 31);
        binaryRun(op, a, 1, b, 1, out, n);
        for (let i = 0; i < n; i++) expect(iat(out, i)).toBe(intRef(op, iat(a, i), iat(b, i)));
        binaryRun(op, a, 1, b, 0, out, n);
        for (let i = 0; i < n; i++) expect(iat(out, i)).toBe(intRef(op, iat(a, i), iat(b, 0)));
        binaryRun(op, a, 0, b, 1, out, n);
        for (let i = 0; i < n; i++) expect(iat(out, i)).toBe(intRef(op, iat(a, 0), iat(b, i)));
        binaryRun(op, a, 2, b, 1, out, n >> 1); // a strided run takes the scalar path
        for (let i = 0; i < n >> 1; i++) expect(iat(out, i)).toBe(intRef(op, iat(a, 2 * i), iat(b, i)));
      }
    }
  });
});

describe('binaryRun, float comparisons and maximum/minimum', () => {
  it('writes bool words, with NaN unequal to everything and propagated by maximum/minimum', () => {
    for (let op = B_EQ; op <= B_LE; op++) {
      for (let li = 0; li < LENGTHS.length; li++) {
        const n = LENGTHS[li];
        const a = fbuf(n, 1), b = fbuf(n, 2), out = ibuf(n, 0);
        binaryRun(op, a, 1, b, 1, out, n);
        for (let i = 0; i < n; i++) expect(iat(out, i)).toBe(cmpRef(op, fat(a, i), fat(b, i)));
        binaryRun(op, a, 1, b, 0, out, n);
        for (let i = 0; i < n; i++) expect(iat(out, i)).toBe(cmpRef(op, fat(a, i), fat(b, 0)));
        binaryRun(op, a, 3, b, 1, out, n / 3);
        for (let i = 0; i < n / 3; i++) expect(iat(out, i)).toBe(cmpRef(op, fat(a, 3 * i), fat(b, i)));
      }
    }
    for (let op = B_MAX; op <= B_MIN; op++) {
      const n = 33;
      const a = fbuf(n, 1), b = fbuf(n, 4), out = fbuf(n, 0);
      binaryRun(op, a, 1, b, 1, out, n);
      for (let i = 0; i < n; i++) {
        const x = fat(a, i), y = fat(b, i), r = fat(out, i);
        if (isNaN(x) || isNaN(y)) expect(isNaN(r)).toBe(true);
        else expect(r).toBe(op == B_MAX ? Mathf.max(x, y) : Mathf.min(x, y));
      }
    }
  });
});

describe('unary, i32-word codes', () => {
  it('neg/abs/sign wrap as int32; conversions, isnan/isfinite, logicalNot and != 0', () => {
    for (let op = U_INEG; op <= U_NZ_I; op++) {
      for (let li = 0; li < LENGTHS.length; li++) {
        const n = LENGTHS[li];
        const floatIn = op == 23 || op == 24 || op == 25 || op == 27;
        const x = floatIn ? fbuf(n, op) : ibuf(n, op), out = ibuf(n, 0);
        if (op == 24) store<f32>(x, Infinity); // isfinite sees an infinity too
        unary(op, x, out, n, 0, 0);
        for (let i = 0; i < n; i++) {
          const xi = iat(x, i), xf = fat(x, i);
          if (op == 22) { expect(fat(out, i)).toBe(<f32>xi); continue; }
          let want: i32 = 0;
          if (op == 19) want = -xi;
          else if (op == 20) want = xi < 0 ? -xi : xi;
          else if (op == 21) want = xi > 0 ? 1 : xi < 0 ? -1 : 0;
          else if (op == 23) want = isNaN(xf) ? 1 : 0;
          else if (op == 24) want = isFinite(xf) ? 1 : 0;
          else if (op == 25) want = xf == 0 ? 1 : 0;
          else if (op == 26) want = xi == 0 ? 1 : 0;
          else if (op == 27) want = xf != 0 ? 1 : 0;
          else want = xi != 0 ? 1 : 0;
          expect(iat(out, i)).toBe(want);
        }
      }
    }
  });
});

describe('selectWhere', () => {
  it('broadcasts condition [3,1], a [1,5] and b [3,5] transposed, and reads 32-bit words of any type', () => {
    const meta = heap.alloc(64);
    const c = ibuf(3, 5), a = ibuf(5, 1), b = ibuf(15, 2), out = ibuf(15, 0);
    // shape [3, 5]; strides: c [1, 0], a [0, 1], b [1, 3] (a transposed 5×3 block)
    store<i32>(meta, 3); store<i32>(meta, 5, 4);
    store<i32>(meta, 1, 8); store<i32>(meta, 0, 12);
    store<i32>(meta, 0, 16); store<i32>(meta, 1, 20);
    store<i32>(meta, 1, 24); store<i32>(meta, 3, 28);
    selectWhere(c, a, b, out, 2, meta);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) {
      expect(iat(out, i * 5 + j)).toBe(iat(c, i) != 0 ? iat(a, j) : iat(b, j * 3 + i));
    }
  });
  it('runs contiguous and broadcast rows of every length through the v128 loop and its tail', () => {
    const meta = heap.alloc(64);
    for (let li = 0; li < LENGTHS.length; li++) {
      const n = LENGTHS[li];
      const c = ibuf(n, 3), a = ibuf(n, 1), b = ibuf(n, 2), out = ibuf(n, 0);
      store<i32>(meta, n); store<i32>(meta, 1, 4); store<i32>(meta, 1, 8); store<i32>(meta, 0, 12);
      selectWhere(c, a, b, out, 1, meta);
      for (let i = 0; i < n; i++) expect(iat(out, i)).toBe(iat(c, i) != 0 ? iat(a, i) : iat(b, 0));
    }
  });
});

describe('reduceBool', () => {
  it('any/all over rows (inner 1) and columns (inner > 1), and over an empty axis', () => {
    for (let op = R_ANY; op <= R_ALL; op++) {
      for (let li = 0; li < LENGTHS.length; li++) {
        const n = LENGTHS[li];
        for (let inner = 1; inner <= 6; inner += 5) {
          const outer = 2;
          const x = ibuf(outer * n * inner, op + li);
          // make some rows all zero and some all non-zero
          for (let k = 0; k < n * inner; k++) store<i32>(x + (<usize>k << 2), 0);
          const out = ibuf(outer * inner, 0);
          reduceBool(op, x, out, outer, n, inner);
          for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) {
            let anyv = 0, allv = 1;
            for (let j = 0; j < n; j++) {
              const v = iat(x, (o * n + j) * inner + k) != 0 ? 1 : 0;
              anyv |= v; allv &= v;
            }
            expect(iat(out, o * inner + k)).toBe(op == R_ANY ? anyv : allv);
          }
        }
      }
      const out = ibuf(3, 0);
      reduceBool(op, 0, out, 1, 0, 3);
      for (let k = 0; k < 3; k++) expect(iat(out, k)).toBe(op == R_ALL ? 1 : 0);
    }
  });
});
