// Mutation run: break one rule at a time in a throwaway copy of the repository and check that
// some test fails. Each mutation below is an exact text replacement in one source file, with the
// cheapest test files that should notice it; a mutation no test notices "survived" and needs a
// test (or a reason it cannot change behaviour). The copy is a detached git worktree of a commit
// (HEAD by default) under the temporary folder, with node_modules linked from this checkout; the
// checkout itself is never written. Kernel mutations (assembly/) rebuild the wasm for their run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, symlinkSync, rmSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './args.mjs';

const USAGE = 'node scripts/mutate.mjs [--only id,id] [--area engine|graph|optim|loss|scope|matmul] [--rev commit] [--local-tests] [--out file.md] [--list] [--check] [--keep]';
const args = parseCli(USAGE, {
  only: { type: 'string' }, area: { type: 'string' }, rev: { type: 'string', default: 'HEAD' },
  'local-tests': { type: 'boolean', default: false }, out: { type: 'string' }, list: { type: 'boolean', default: false },
  keep: { type: 'boolean', default: false }, check: { type: 'boolean', default: false },
});

// Test specs: 'file' is tests/file.test.ts; 'file::pattern' runs only the tests whose names match.
const ENGINE = ['fanout', 'mutation_kills', 'gradcheck', 'memory', 'tensor', 'review'];
const GRAPH = ['memory', 'mutation_kills', 'fanout', 'tensor', 'review'];
const OPTIM = ['mutation_kills', 'review_optim', 'optim_ext', 'oracle::^oracle: optimizer'];
const LOSS = ['mutation_kills', 'losses', 'gradcheck', 'oracle::^oracle: ', 'review_nn'];
const SCOPE = ['memory', 'mutation_kills', 'tensor', 'review'];
const MATMUL = ['mutation_kills', 'gradcheck', 'nn', 'oracle::^oracle: ', 'tensor'];

const E = 'src/autograd/engine.ts', G = 'src/autograd/graph.ts', S = 'src/runtime/scope.ts', MM = 'src/ops/matmul.ts';
const L = 'src/ops/loss.ts', KO = 'assembly/optim.ts', KL = 'assembly/loss.ts';

/**
 * { id, area, what, file, edits: [search, replacement][], tests }, or `variants: edits[]` where the
 * code has more than one shape (the first variant that applies is used); every search text must
 * occur exactly once in the file.
 */
const MUTATIONS = [
  // ---- autograd engine ----
  { id: 'E1', area: 'engine', what: 'fan-out into a non-leaf overwrites instead of adding', file: E, tests: ENGINE,
    variants: [[['grads.set(input.gradFn, prev ? add(prev, gs) : gs);', 'grads.set(input.gradFn, gs);']],
      [['grads.set(next, prev ? add(prev, gs) : gs);', 'grads.set(next, gs);']]] },
  { id: 'E2', area: 'engine', what: 'fan-out into a non-leaf keeps only the first gradient', file: E, tests: ENGINE,
    variants: [[['grads.set(input.gradFn, prev ? add(prev, gs) : gs);', 'grads.set(input.gradFn, prev ? prev : gs);']],
      [['grads.set(next, prev ? add(prev, gs) : gs);', 'grads.set(next, prev ? prev : gs);']]] },
  { id: 'E3', area: 'engine', what: "accumulation into a leaf's existing .grad overwrites it", file: E, tests: ENGINE,
    edits: [["K().axpy(cur.ptr('backward'), gc.ptr('backward'), gc.numel(), 1);", 't.setGrad(clone(gc));']] },
  { id: 'E4', area: 'engine', what: 'a strided (user-assigned) .grad is replaced, not added to', file: E, tests: ENGINE,
    edits: [['t.setGrad(add(cur, g));', 't.setGrad(clone(g));']] },
  { id: 'E5', area: 'engine', what: 'broadcast gradients are not summed back to the input shape (no sumToShape)', file: E, tests: ENGINE,
    edits: [['const gs = sumToShape(gi, input.shape);', 'const gs = gi;']] },
  { id: 'E6', area: 'engine', what: 'topological order reversed (root last)', file: E, tests: ENGINE,
    edits: [['return order.reverse();', 'return order;']] },
  { id: 'E7', area: 'engine', what: 'topological order is DFS pre-order (a node may run before all its consumers)', file: E, tests: ENGINE,
    edits: [
      ['const order: Node[] = [];', 'const order: Node[] = [root];'],
      ['if (next && !seen.has(next)) { seen.add(next); stack.push([next, 0]); }', 'if (next && !seen.has(next)) { seen.add(next); order.push(next); stack.push([next, 0]); }'],
      ['      stack.pop();\n      order.push(node);', '      stack.pop();'],
      ['return order.reverse();', 'return order;'],
    ] },
  { id: 'E8', area: 'engine', what: "backward skips releasing each node's saved buffers", file: E, tests: ENGINE,
    edits: [['if (!retain) node.release();', '']] },
  { id: 'E9', area: 'engine', what: 'retainGraph ignored (always released)', file: E, tests: ENGINE,
    edits: [['const retain = options.retainGraph === true;', 'const retain = false;']] },
  { id: 'E10', area: 'engine', what: 'retainGraph always on (never released)', file: E, tests: ENGINE,
    edits: [['const retain = options.retainGraph === true;', 'const retain = true;']] },
  { id: 'E11', area: 'engine', what: 'retainGrad on an interior node ignored', file: E, tests: ENGINE,
    variants: [[['if (input.retainsGrad) accumulate(input, gs);', '']],
      [['if (input.retainsGrad && input.gradFn === next) accumulate(input, gs);', '']]] },
  { id: 'E12', area: 'engine', what: 'retainGrad on the root ignored', file: E, tests: ENGINE,
    edits: [['if (root.retainsGrad) accumulate(root, seed);', '']] },
  { id: 'E13', area: 'engine', what: 'the explicit gradient argument is ignored (ones instead)', file: E, tests: ENGINE,
    edits: [['const seed = gradient ?? full(root.shape, 1);', 'const seed = full(root.shape, 1);']] },
  { id: 'E14', area: 'engine', what: 'a second backward through a freed graph is not refused', file: E, tests: ENGINE,
    edits: [['const freed = order.find((n) => n.released);', 'const freed = undefined as Node | undefined;']] },
  { id: 'E15', area: 'engine', what: 'a user-disposed .grad is added to instead of replaced', file: E, tests: ENGINE,
    edits: [['if (cur === null || cur.isDisposed) {', 'if (cur === null) {']] },
  { id: 'E16', area: 'engine', what: "inputs that do not require grad still get the rule's gradient", file: E, tests: ENGINE,
    edits: [['if (!gi || !needs[i]) return;', 'if (!gi) return;']] },
  { id: 'E17', area: 'engine', what: "the rule is told every input needs a gradient", file: E, tests: ENGINE,
    variants: [[['const needs = node.inputs.map((t) => t.requiresGrad);', 'const needs = node.inputs.map(() => true);']],
      [['const needs = node.needs;', 'const needs = node.inputs.map(() => true);']]] },
  // ---- graph nodes ----
  { id: 'G1', area: 'graph', what: 'Node.release marks released but frees no saved buffer', file: G, tests: GRAPH,
    edits: [['    for (const s of this.saved) s.dispose();', '']] },
  { id: 'G2', area: 'graph', what: 'Node.release frees the buffers but does not mark the node released', file: G, tests: GRAPH,
    edits: [['    this.released = true;', '']] },
  { id: 'G3', area: 'graph', what: 'a node with nothing saved is marked released (second backward refused)', file: G, tests: GRAPH,
    edits: [['    if (this.saved.length === 0) return; // nothing freed: backward may run through it again\n', '']] },
  { id: 'G4', area: 'graph', what: "a graph recorded outside any scope leaves its saved buffers off the GC net", file: G, tests: GRAPH,
    variants: [[['if (!trackNode(node)) node.protectSaved();', 'trackNode(node);']],
      [['if (!trackNode(node, out)) node.protectSaved();', 'trackNode(node, out);']]] },
  // ---- tidy / keep ----
  { id: 'S1', area: 'scope', what: 'keep() does not pin: tidy frees a kept tensor', file: S, tests: SCOPE,
    edits: [['  t.pinned = true;\n  t.registerFinalizer();\n  return t;', '  t.registerFinalizer();\n  return t;']] },
  { id: 'S2', area: 'scope', what: 'tidy frees the tensors it returns', file: S, tests: SCOPE,
    edits: [['    if (keepers.has(t)) {', '    if (false) {']] },
  { id: 'S3', area: 'scope', what: 'tidy frees pinned tensors (parameters, grads, state)', file: S, tests: SCOPE,
    edits: [['    } else if (t.pinned) {', '    } else if (false) {']] },
  { id: 'S4', area: 'scope', what: 'tensors returned from a nested tidy escape the outer tidy', file: S, tests: SCOPE,
    edits: [['if (parent) parent.tensors.add(t); else t.registerFinalizer();', 't.registerFinalizer();']] },
  { id: 'S5', area: 'scope', what: 'returned Maps are not searched for tensors', file: S, tests: SCOPE,
    variants: [[['  if (value instanceof Map) { for (const v of value.values()) collect(v, into, seen); return; }\n', '']],
      [['  if (value instanceof Map) { for (const [k, v] of value) { collect(k, into, seen); collect(v, into, seen); } return; }\n', '']]] },
  { id: 'S6', area: 'scope', what: 'returned plain objects are not searched for tensors', file: S, tests: SCOPE,
    variants: [[['  if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, into, seen);\n', '']],
      [['  for (const v of Object.values(value)) collect(v, into, seen); // plain objects and class instances', '  // mutated: plain objects and class instances']]] },
  { id: 'S7', area: 'scope', what: 'unreachable graph nodes are not released at scope close', file: S, tests: SCOPE,
    edits: [['    if (!live.has(n)) n.release();', '    if (!live.has(n)) { /* mutated */ }']] },
  { id: 'S8', area: 'scope', what: 'every graph node is released at scope close, even one a returned tensor needs', file: S, tests: SCOPE,
    edits: [['    if (!live.has(n)) n.release();', '    if (true) n.release();']] },
  { id: 'S9', area: 'scope', what: "a live graph's nodes are not handed to the enclosing scope", file: S, tests: SCOPE,
    edits: [['    else if (parent) parent.nodes.push(n);', '    else if (parent) { /* mutated */ }']] },
  { id: 'S10', area: 'scope', what: 'a tidy whose function throws frees nothing', file: S, tests: SCOPE,
    edits: [['    close(scope, undefined, parent);\n    throw e;\n  }', '    throw e;\n  }']] },
  // ---- optimizers (TypeScript side) ----
  { id: 'O1', area: 'optim', what: 'SGD: the first momentum step does not clone the gradient into the buffer', file: 'src/optim/sgd.ts', tests: OPTIM,
    edits: [['g.maximize ? 1 : 0, first ? 1 : 0);', 'g.maximize ? 1 : 0, 0);']] },
  { id: 'O2', area: 'optim', what: 'SGD: nesterov ignored', file: 'src/optim/sgd.ts', tests: OPTIM,
    edits: [['g.nesterov ? 1 : 0', '0']] },
  { id: 'O3', area: 'optim', what: 'SGD: maximize ignored', file: 'src/optim/sgd.ts', tests: OPTIM,
    edits: [['g.maximize ? 1 : 0, first', '0, first']] },
  { id: 'O4', area: 'optim', what: 'Adam: no bias correction', file: 'src/optim/adam.ts', tests: OPTIM,
    edits: [['1 - b1 ** step, 1 - b2 ** step);', '1, 1);']] },
  { id: 'O5', area: 'optim', what: "Adam: the second moment's bias correction uses β1", file: 'src/optim/adam.ts', tests: OPTIM,
    edits: [['1 - b1 ** step, 1 - b2 ** step);', '1 - b1 ** step, 1 - b1 ** step);']] },
  { id: 'O6', area: 'optim', what: 'AdamW: weight decay added to the gradient (not decoupled)', file: 'src/optim/adam.ts', tests: OPTIM,
    edits: [['this.decoupled ? 1 : 0', '0']] },
  { id: 'O7', area: 'optim', what: 'Adam: amsgrad ignored', file: 'src/optim/adam.ts', tests: OPTIM,
    edits: [['g.amsgrad ? 1 : 0', '0']] },
  { id: 'O8', area: 'optim', what: 'RMSprop: centered ignored', file: 'src/optim/rmsprop.ts', tests: OPTIM,
    edits: [['g.centered ? 1 : 0', '0']] },
  { id: 'O9', area: 'optim', what: 'RMSprop: maximize ignored', file: 'src/optim/rmsprop.ts', tests: OPTIM,
    edits: [['g.maximize ? 1 : 0);', '0);']] },
  { id: 'O10', area: 'optim', what: 'Adam: the step counter restarts every step', file: 'src/optim/adam.ts', tests: OPTIM,
    edits: [['if (!st.exp_avg) st.step = 0;', 'st.step = 0;']] },
  // ---- optimizer kernels (vector loop and scalar tail are separate code) ----
  { id: 'K1', area: 'optim', what: 'SGD kernel, vector loop: dampening sign flipped', file: KO, tests: OPTIM,
    edits: [['vdamp = f32x4.splat(1 - dampening);', 'vdamp = f32x4.splat(1 + dampening);']] },
  { id: 'K2', area: 'optim', what: 'SGD kernel, scalar tail: dampening omitted', file: KO, tests: OPTIM,
    edits: [['momentum * load<f32>(at(buf, i)) + (1 - dampening) * d;', 'momentum * load<f32>(at(buf, i)) + d;']] },
  { id: 'K3', area: 'optim', what: 'SGD kernel, vector loop: weight decay subtracted', file: KO, tests: OPTIM,
    edits: [['if (wd != 0) d = f32x4.add(d, f32x4.mul(vwd, pi));', 'if (wd != 0) d = f32x4.sub(d, f32x4.mul(vwd, pi));']] },
  { id: 'K4', area: 'optim', what: 'SGD kernel, scalar tail: weight decay omitted', file: KO, tests: OPTIM,
    edits: [['    if (wd != 0) d += wd * pi;\n    if (momentum != 0) {\n      const b: f32', '    if (momentum != 0) {\n      const b: f32']] },
  { id: 'K5', area: 'optim', what: 'SGD kernel, scalar tail: nesterov uses the buffer alone', file: KO, tests: OPTIM,
    edits: [['      d = nesterov ? d + momentum * b : b;\n    }\n    store', '      d = b;\n    }\n    store']] },
  { id: 'K6', area: 'optim', what: 'SGD kernel, vector loop: maximize ignored', file: KO, tests: OPTIM,
    edits: [['    let d = f32x4.mul(vsign, v128.load(g + o));', '    let d = v128.load(g + o);']] },
  { id: 'K7', area: 'optim', what: 'Adam kernel, scalar tail: amsgrad max not taken', file: KO, tests: OPTIM,
    edits: [['vd = Mathf.max(load<f32>(at(vmax, i)), vi);', 'vd = vi;']] },
  { id: 'K8', area: 'optim', what: 'AdamW kernel: decoupled decay p·(1 − wd) instead of p·(1 − lr·wd)', file: KO, tests: OPTIM,
    edits: [['const bc2Sqrt = Mathf.sqrt(bc2);\n  const decay: f32 = decoupled ? 1 - lr * wd : 1;', 'const bc2Sqrt = Mathf.sqrt(bc2);\n  const decay: f32 = decoupled ? 1 - wd : 1;']] },
  { id: 'K9', area: 'optim', what: 'Adam kernel, scalar tail: maximize ignored', file: KO, tests: OPTIM,
    edits: [['    let gi = sign * load<f32>(at(g, i));\n    gi += l2 * pi;', '    let gi = load<f32>(at(g, i));\n    gi += l2 * pi;']] },
  { id: 'K10', area: 'optim', what: 'RMSprop kernel, scalar tail: centered uses sqrt(sq) (ga² not subtracted)', file: KO, tests: OPTIM,
    edits: [['avg = Mathf.sqrt(s - a * a) + eps;', 'avg = Mathf.sqrt(s) + eps + a * 0;']] },
  { id: 'K11', area: 'optim', what: 'RMSprop kernel, vector loop: momentum buffer not decayed', file: KO, tests: OPTIM,
    edits: [['const b = f32x4.add(f32x4.mul(vmom, v128.load(buf + o)), f32x4.div(gi, avg));', 'const b = f32x4.add(v128.load(buf + o), f32x4.div(gi, avg));']] },
  // ---- losses ----
  { id: 'L1', area: 'loss', what: "MSE/L1/smooth L1/Huber: 'mean' sums", file: L, tests: LOSS,
    edits: [["  const scale = reduction === 'mean' ? 1 / n : 1;\n  const out = Tensor.empty(reduced ? [] : input.shape, 'float32', op);\n  const k = K();\n  k.elementLoss(", "  const scale = 1;\n  const out = Tensor.empty(reduced ? [] : input.shape, 'float32', op);\n  const k = K();\n  k.elementLoss("]] },
  { id: 'L2', area: 'loss', what: "BCE: 'mean' sums", file: L, tests: LOSS,
    edits: [["  const scale = reduction === 'mean' ? 1 / n : 1;\n  const out = Tensor.empty(reduced ? [] : input.shape, 'float32', op);\n  const k = K();\n  const w = wp", "  const scale = 1;\n  const out = Tensor.empty(reduced ? [] : input.shape, 'float32', op);\n  const k = K();\n  const w = wp"]] },
  { id: 'L3', area: 'loss', what: "cross-entropy 'mean' divides by the row count, not the targets' summed weight", file: L, tests: LOSS,
    edits: [["const scale = reduction === 'mean' ? 1 / weightSum : 1; // 0 valid targets", "const scale = reduction === 'mean' ? 1 / rows : 1; // 0 valid targets"]] },
  { id: 'L4', area: 'loss', what: "class losses' weight sum ignores the class weights", file: L, tests: LOSS,
    edits: [['total += wv ? wv[c] : 1;', 'total += 1;']] },
  { id: 'L5', area: 'loss', what: 'cross-entropy forward ignores ignoreIndex (uses the default −100)', file: L, tests: LOSS,
    edits: [['logp.ptr(op), outer, C, inner, ignoreIndex, eps, r, scale);', 'logp.ptr(op), outer, C, inner, -100, eps, r, scale);']] },
  { id: 'L6', area: 'loss', what: 'cross-entropy backward ignores ignoreIndex', file: L, tests: LOSS,
    edits: [['dx.ptr(B), outer, C, inner, ignoreIndex, eps, scale);', 'dx.ptr(B), outer, C, inner, -100, eps, scale);']] },
  { id: 'L7', area: 'loss', what: 'cross-entropy forward ignores labelSmoothing (class indices)', file: L, tests: LOSS,
    edits: [['logp.ptr(op), outer, C, inner, ignoreIndex, eps, r, scale);', 'logp.ptr(op), outer, C, inner, ignoreIndex, 0, r, scale);']] },
  { id: 'L8', area: 'loss', what: 'cross-entropy backward ignores labelSmoothing (class indices)', file: L, tests: LOSS,
    edits: [['dx.ptr(B), outer, C, inner, ignoreIndex, eps, scale);', 'dx.ptr(B), outer, C, inner, ignoreIndex, 0, scale);']] },
  { id: 'L9', area: 'loss', what: 'cross-entropy backward ignores the class weights', file: L, tests: LOSS,
    edits: [['else if (dx) k.crossEntropyNdBackward(sl.ptr(B), st.ptr(B), ptrOr0(sw, B),', 'else if (dx) k.crossEntropyNdBackward(sl.ptr(B), st.ptr(B), 0,']] },
  { id: 'L10', area: 'loss', what: 'NLL forward ignores the class weights', file: L, tests: LOSS,
    edits: [['k.nllLoss(x.t.ptr(op), t.t.ptr(op), ptrOr0(w?.t ?? null, op),', 'k.nllLoss(x.t.ptr(op), t.t.ptr(op), 0,']] },
  { id: 'L11', area: 'loss', what: "a 'none' loss's backward reads one scalar gradient for every element", file: L, tests: LOSS,
    edits: [['return { ...denseOf(g), gs: reduced ? 0 : 1 };', 'return { ...denseOf(g), gs: 0 };']] },
  { id: 'L12', area: 'loss', what: "KL 'batchmean' divides by the element count", file: L, tests: LOSS,
    edits: [["reduction === 'batchmean' && input.ndim > 0 ? 1 / input.shape[0] : 1;", "reduction === 'batchmean' && input.ndim > 0 ? 1 / n : 1;"]] },
  { id: 'L13', area: 'loss', what: 'BCE backward ignores the weight', file: L, tests: LOSS,
    edits: [['k.bceBackward(sx.ptr(B), sy.ptr(B), ptrOr0(sw, B), wnB,', 'k.bceBackward(sx.ptr(B), sy.ptr(B), 0, wnB,']] },
  { id: 'L14', area: 'loss', what: 'BCE with logits backward ignores posWeight', file: L, tests: LOSS,
    edits: [['wnB, ptrOr0(sp, B), pnB,', 'wnB, 0, pnB,']] },
  { id: 'L15', area: 'loss', what: 'cross-entropy kernel: label smoothing spread over C−1 classes instead of C', file: KL, tests: LOSS,
    edits: [['  const smooth = smoothing != 0;\n  const eC = smoothing / <f32>C;', '  const smooth = smoothing != 0;\n  const eC = smoothing / <f32>(C - 1);']] },
  // ---- matmul ----
  { id: 'M1', area: 'matmul', what: "a transposed operand's leading dimension taken as its row count, not its stride", file: MM, tests: MATMUL,
    edits: [['const ld = cols === 1 ? Math.max(rows, 1) : sc;', 'const ld = cols === 1 ? Math.max(rows, 1) : rows;']] },
  { id: 'M2', area: 'matmul', what: "a row-major operand's leading dimension taken as its column count, not its stride", file: MM, tests: MATMUL,
    edits: [['const ld = rows === 1 ? Math.max(cols, 1) : sr;', 'const ld = rows === 1 ? Math.max(cols, 1) : cols;']] },
  { id: 'M3', area: 'matmul', what: "batch broadcast: b's batch offset uses a's batch strides", file: MM, tests: MATMUL,
    edits: [['offB += idx[d] * stB[d];', 'offB += idx[d] * stA[d];']] },
  { id: 'M4', area: 'matmul', what: 'batch index odometer runs first dim fastest', file: MM, tests: MATMUL,
    edits: [['for (let d = batch.length - 1; d >= 0; d--) { if (++idx[d] < batch[d]) break; idx[d] = 0; }', 'for (let d = 0; d < batch.length; d++) { if (++idx[d] < batch[d]) break; idx[d] = 0; }']] },
  { id: 'M5', area: 'matmul', what: 'backward dA = g·B instead of g·Bᵀ (transpose dropped)', file: MM, tests: MATMUL,
    edits: [['n[0] ? matmulT(g, sb, false) : null,', "n[0] ? matmulRaw(g, sb, 'backward') : null,"]] },
  { id: 'M6', area: 'matmul', what: 'backward dB = (Aᵀ·g)ᵀ = gᵀ·A (operands swapped)', file: MM, tests: MATMUL,
    edits: [['n[1] ? matmulT(sa, g, true) : null,', 'n[1] ? matmulT(g, sa, true) : null,']] },
  { id: 'M7', area: 'matmul', what: 'linear backward dW = xᵀ·g instead of gᵀ·x', file: MM, tests: MATMUL,
    edits: [['n[1] ? matmulT(g, sx, true) : null,', 'n[1] ? matmulT(sx, g, true) : null,']] },
  { id: 'M8', area: 'matmul', what: 'a view with neither unit stride is read as if row-major (no copy)', file: MM, tests: MATMUL,
    variants: [[['if (!da) { ac = dense(a); da = describe(M, Ka, Ka, 1)!; }', 'if (!da) { da = { ld: sA[0], trans: false }; }']],
      [['if (!da) { ac = dense(a, op); da = describe(M, Ka, Ka, 1)!; }', 'if (!da) { da = { ld: sA[0], trans: false }; }']]] },
];

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const TIMEOUT_MS = 240_000;

let selected = MUTATIONS;
if (args.only) {
  const ids = String(args.only).split(',');
  for (const id of ids) if (!MUTATIONS.some((m) => m.id === id)) { process.stderr.write(`--only: no mutation '${id}'\nusage: ${USAGE}\n`); process.exit(2); }
  selected = selected.filter((m) => ids.includes(m.id));
}
if (args.area) {
  if (!MUTATIONS.some((m) => m.area === args.area)) { process.stderr.write(`--area: no area '${args.area}'\nusage: ${USAGE}\n`); process.exit(2); }
  selected = selected.filter((m) => m.area === args.area);
}
if (args.list) {
  for (const m of selected) console.log(`${m.id.padEnd(4)} ${m.area.padEnd(7)} ${m.file.padEnd(22)} ${m.what}`);
  process.exit(0);
}

const sh = (cmd, argv, cwd, opts = {}) => execFileSync(cmd, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });

/** The mutated text of `original`, or { problem } when no variant's search texts each occur exactly once. */
function mutate(m, original) {
  let problem = null;
  for (const edits of m.variants ?? [m.edits]) {
    let text = original;
    problem = null;
    for (const [search, replacement] of edits) {
      const count = text.split(search).length - 1;
      if (count !== 1) { problem = `search text found ${count} times: ${JSON.stringify(search.slice(0, 60))}`; break; }
      text = text.replace(search, () => replacement);
    }
    if (!problem) return { text };
  }
  return { problem };
}

// --check: does every mutation still apply to the commit's sources? (no worktree, no tests)
if (args.check) {
  let bad = 0;
  for (const m of selected) {
    const r = mutate(m, sh('git', ['show', `${args.rev}:${m.file}`], ROOT));
    if (r.problem) bad++;
    console.log(`${m.id.padEnd(4)} ${r.problem ? `NOT APPLICABLE: ${r.problem}` : 'applies'}`);
  }
  process.exit(bad ? 1 : 0);
}

// ---- the throwaway worktree ----
const dir = mkdtempSync(join(tmpdir(), 'wasmtorch-mutate-'));
rmSync(dir, { recursive: true, force: true }); // git worktree add wants to create it
let cleaned = false;
function cleanup() {
  if (cleaned || args.keep) return;
  cleaned = true;
  try { sh('git', ['worktree', 'remove', '--force', dir], ROOT); } catch { rmSync(dir, { recursive: true, force: true }); }
  try { sh('git', ['worktree', 'prune'], ROOT); } catch { /* nothing to prune */ }
}
process.on('SIGINT', () => { cleanup(); process.exit(130); });
process.on('SIGTERM', () => { cleanup(); process.exit(143); });

const rev = sh('git', ['rev-parse', '--short', String(args.rev)], ROOT).trim();
console.log(`worktree of ${rev} in ${dir}`);
sh('git', ['worktree', 'add', '--detach', dir, rev], ROOT);
try {
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  if (args['local-tests']) cpSync(join(ROOT, 'tests'), join(dir, 'tests'), { recursive: true }); // this checkout's tests, committed or not
  build();
  const cleanWasm = readFileSync(join(dir, 'src/runtime/wasm_bytes.ts'), 'utf8');

  // Every test spec must pass unmutated, or its verdicts would mean nothing.
  const specs = [...new Set(selected.flatMap((m) => m.tests))];
  const baseline = new Map();
  for (const spec of specs) {
    const r = runSpec(spec);
    baseline.set(spec, r);
    if (r.status === 'fail') console.log(`baseline: ${spec} FAILS unmutated (${r.first}); mutations will not use it`);
  }

  const results = [];
  for (const m of selected) {
    const t0 = Date.now();
    const path = join(dir, m.file);
    const original = readFileSync(path, 'utf8');
    // the first variant whose every search text occurs exactly once (the code may have moved on)
    const { text, problem } = mutate(m, original);
    let r;
    if (problem) r = { result: 'not applied', by: problem };
    else {
      writeFileSync(path, text);
      try {
        if (m.file.startsWith('assembly/') && !build(true)) r = { result: 'killed', by: 'the build (asc)' };
        else r = runTests(m.tests, baseline);
      } finally {
        writeFileSync(path, original);
        if (m.file.startsWith('assembly/')) writeFileSync(join(dir, 'src/runtime/wasm_bytes.ts'), cleanWasm);
      }
    }
    const s = ((Date.now() - t0) / 1000).toFixed(0);
    results.push({ ...m, ...r, seconds: s });
    console.log(`${m.id.padEnd(4)} ${r.result.padEnd(11)} ${s.padStart(4)}s  ${m.what}${r.by ? `  [${r.by}]` : ''}`);
  }
  report(results, rev);
} finally {
  cleanup();
}

/**
 * npm run asbuild in the worktree; for a mutant (`mayFail`: a compile error returns false instead
 * of throwing) only the SIMD build is recompiled, the one Node 20 runs (the relaxed-SIMD file stays
 * unmutated; it is used only where relaxed SIMD validates).
 */
function build(mayFail = false) {
  const r = mayFail
    ? spawnSync('sh', ['-c', 'npx asc assembly/index.ts --target release && node scripts/embed-wasm.mjs'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : spawnSync('npm', ['run', 'asbuild'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status === 0) return true;
  if (mayFail) return false;
  throw new Error(`npm run asbuild failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
}

/** Runs one test spec; { status: 'pass' | 'fail' | 'missing', first: the first failing test's name }. */
function runSpec(spec) {
  const [name, pattern] = spec.split('::');
  const file = `tests/${name}.test.ts`;
  if (!existsSync(join(dir, file))) return { status: 'missing' };
  const argv = ['--import', 'tsx', '--test', '--test-reporter=tap', ...(pattern ? [`--test-name-pattern=${pattern}`] : []), file];
  const r = spawnSync(process.execPath, argv, { cwd: dir, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error?.code === 'ETIMEDOUT' || r.signal) return { status: 'fail', first: `timed out after ${TIMEOUT_MS / 1000} s` };
  if (r.status === 0) return { status: 'pass' };
  const line = (r.stdout.match(/^\s*not ok \d+ - (.*)$/m) ?? [])[1];
  return { status: 'fail', first: line ? line.replace(/ # .*$/, '') : `exit code ${r.status}` };
}

/** The mutation's test specs in order, stopping at the first that fails. */
function runTests(specs, baseline) {
  const ran = [];
  for (const spec of specs) {
    if (baseline.get(spec)?.status !== 'pass') continue;
    const r = runSpec(spec);
    ran.push(spec);
    if (r.status === 'fail') return { result: 'killed', by: `${spec.split('::')[0]}: ${r.first}` };
  }
  return { result: 'survived', by: `ran ${ran.join(', ') || 'nothing'}` };
}

function report(results, rev) {
  const killed = results.filter((r) => r.result === 'killed').length;
  const survived = results.filter((r) => r.result === 'survived');
  const skipped = results.filter((r) => r.result === 'not applied');
  const lines = [
    `Mutation run over ${rev} (\`node scripts/mutate.mjs\`${args['local-tests'] ? ' --local-tests' : ''}): ${results.length} mutations, ${killed} killed, ${survived.length} survived${skipped.length ? `, ${skipped.length} not applied` : ''}.`,
    '',
    '| id | area | mutation | file | result | first failing test |',
    '|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.id} | ${r.area} | ${r.what} | \`${r.file}\` | ${r.result} | ${r.result === 'killed' ? r.by.replace(/\|/g, '\\|') : ''} |`),
  ];
  console.log(`\n${lines.join('\n')}`);
  if (survived.length) console.log(`\nsurvived: ${survived.map((r) => r.id).join(', ')}`);
  if (args.out) {
    mkdirSync(dirname(String(args.out)), { recursive: true });
    writeFileSync(String(args.out), `${lines.join('\n')}\n`);
    console.log(`table written to ${args.out}`);
  }
}
