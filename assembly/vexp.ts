// Vector math shared by kernels that exponentiate whole rows (logsumexp, softmax).

/**
 * e^x for x ≤ 0 in v128 (Cephes' expf: x = n·ln2 + r, a degree-6 polynomial for e^r, 2^n
 * through the exponent bits), within 2 ulp; below −87.3 it returns ~1e-38 instead of 0, which
 * no sum that contains e^0 = 1 can see.
 */
@inline export function expNonPositive(x: v128): v128 {
  const v = f32x4.max(x, f32x4.splat(<f32>-87.33654));
  const fx = f32x4.nearest(f32x4.mul(v, f32x4.splat(<f32>1.44269504088896341)));
  let r = f32x4.sub(v, f32x4.mul(fx, f32x4.splat(<f32>0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(<f32>-2.12194440e-4)));
  const z = f32x4.mul(r, r);
  let y = f32x4.splat(<f32>1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(<f32>1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(<f32>8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(<f32>4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(<f32>1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(<f32>5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), r), f32x4.splat(<f32>1));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2n);
}
