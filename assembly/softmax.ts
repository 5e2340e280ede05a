// Softmax and log-softmax over the middle axis of a contiguous [outer, n, inner] block,
// with the max subtracted first for stability. Backward from the saved output y:
//   softmax:     dx = y · (g − Σ g·y)
//   logSoftmax:  dx = g − e^y · Σ g

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

export function softmax(x: usize, y: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = (o * n) * inner + j;
      let m = load<f32>(at(x, base));
      for (let k = 1; k < n; k++) m = Mathf.max(m, load<f32>(at(x, base + k * inner)));
      let s: f32 = 0;
      for (let k = 0; k < n; k++) {
        const e = Mathf.exp(load<f32>(at(x, base + k * inner)) - m);
        s += e;
        if (!log) store<f32>(at(y, base + k * inner), e);
      }
      if (log) {
        // (x − m) − log s, not x − (m + log s): m + log s rounds at m's scale (logits of 1e4
        // lose ~1e-3), while x − m is exact near the max, as PyTorch computes it
        const ls = Mathf.log(s);
        for (let k = 0; k < n; k++) store<f32>(at(y, base + k * inner), (load<f32>(at(x, base + k * inner)) - m) - ls);
      } else {
        const inv: f32 = 1 / s;
        for (let k = 0; k < n; k++) store<f32>(at(y, base + k * inner), load<f32>(at(y, base + k * inner)) * inv);
      }
    }
  }
}

export function softmaxBackward(y: usize, g: usize, dx: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = (o * n) * inner + j;
      let s: f32 = 0;
      for (let k = 0; k < n; k++) {
        const i = base + k * inner;
        s += log ? load<f32>(at(g, i)) : load<f32>(at(g, i)) * load<f32>(at(y, i));
      }
      for (let k = 0; k < n; k++) {
        const i = base + k * inner;
        const yi = load<f32>(at(y, i)), gi = load<f32>(at(g, i));
        store<f32>(at(dx, i), log ? gi - Mathf.exp(yi) * s : yi * (gi - s));
      }
    }
  }
}
