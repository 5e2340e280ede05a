// backward(): walks the graph from the root with an explicit stack (no recursion), runs each
// node's rule once all its consumers have contributed, sums broadcast gradients back to each
// input's shape, accumulates into leaves' .grad and frees saved buffers as it goes.
import { Tensor } from '../tensor.js';
import type { Node } from './graph.js';
import { noGrad, isAnomalyEnabled } from './grad_mode.js';
import { nonFinite } from './graph.js';
import { tidy, currentScope } from '../runtime/scope.js';
import { sumToShape } from '../ops/reduce.js';
import { add } from '../ops/elementwise.js';
import { clone } from '../ops/movement.js';
import { fmt, sameShape } from '../shape.js';
import { K } from '../runtime/wasm.js';
import { checkOptions, describeValue } from '../options.js';

/** `retainGraph`: keep the saved buffers so backward can run through the graph again. PyTorch: `retain_graph`. */
export interface BackwardOptions { retainGraph?: boolean }

let walk = 0; // numbers each topoOrder walk: a node whose `visited` equals it was seen (no Set per backward)

/** Nodes reachable from root, each after every node that feeds it a gradient. */
function topoOrder(root: Node): Node[] {
  const order: Node[] = [];
  const mark = ++walk;
  root.visited = mark;
  const nodes: Node[] = [root], next: number[] = [0]; // the DFS stack: a node and its next edge
  while (nodes.length > 0) {
    const top = nodes.length - 1, node = nodes[top], i = next[top];
    if (i < node.next.length) {
      next[top] = i + 1;
      const m = node.next[i];
      if (m !== null && m.visited !== mark) { m.visited = mark; nodes.push(m); next.push(0); }
    } else {
      nodes.pop(); next.pop();
      order.push(node);
    }
  }
  return order.reverse();
}

/**
 * Adds g into t.grad (a pinned tensor the leaf owns; setGrad pins the new one and frees the old).
 * `own`: g is a fresh gradient no one else holds, so a leaf without a grad takes it as is instead of
 * a copy (PyTorch's AccumulateGrad steals an unshared gradient too).
 */
function accumulate(t: Tensor, g: Tensor, own: boolean): void {
  const cur = t.grad;
  if (cur === null || cur.isDisposed) {
    // a grad the user disposed counts as none
    t.setGrad(own && !g.pinned && g.base === null && g.storage.refs === 1 && g.offset === 0 && g.isContiguous() ? g : clone(g));
  } else if (!cur.isContiguous()) {
    t.setGrad(add(cur, g)); // a strided (user-assigned) grad is replaced by grad + g, contiguous
  } else {
    const gc = g.isContiguous() ? g : clone(g);
    K().axpy(cur.ptr('backward'), gc.ptr('backward'), gc.numel(), 1);
    cur.storage.version++; // accumulating is an in-place write, as PyTorch's AccumulateGrad
  }
}

/** detectAnomaly's backward check: a rule returned NaN/±Infinity from a finite incoming gradient (PyTorch's wording). */
function checkBackward(node: Node, g: Tensor, inGrads: readonly (Tensor | null)[]): void {
  if (nonFinite(g) !== null) return;
  inGrads.forEach((gi, i) => {
    const bad = gi ? nonFinite(gi) : null;
    if (bad === null) return;
    throw new Error(`detectAnomaly: Function '${node.name}' returned ${bad === 'NaN' ? 'nan' : bad} values in its ${i}th output (the gradient for input ${i} of shape ${fmt(node.inputs[i].shape)}, from an incoming gradient of shape ${fmt(g.shape)}) in backward`);
  });
}

export function backward(root: Tensor, gradient?: Tensor | null, options: BackwardOptions = {}): void {
  root.ptr('backward');
  checkOptions('backward', options, { retainGraph: 'boolean' });
  if (gradient === null) gradient = undefined; // PyTorch's gradient=None
  if (gradient !== undefined && !(gradient instanceof Tensor)) {
    const hint = gradient !== null && typeof gradient === 'object' && !Array.isArray(gradient) ? '; options come second: backward(undefined, { retainGraph: true })' : '';
    throw new TypeError(`backward: gradient must be a Tensor, got ${describeValue(gradient)}${hint}`);
  }
  if (gradient !== undefined) {
    gradient.ptr('backward'); // a disposed gradient is named here, before the walk starts
    if (gradient.dtype !== 'float32') throw new TypeError(`backward: gradient must be float32 like the tensor, got ${gradient.dtype} (PyTorch: Function backward returned an invalid gradient: expected type Float)`);
  }
  if (!root.requiresGrad) throw new Error('backward: the tensor does not require grad and has no grad_fn; nothing to differentiate');
  if (gradient === undefined && root.numel() !== 1) {
    throw new Error(`backward: grad can be implicitly created only for scalar outputs; got shape ${fmt(root.shape)}, pass a gradient of that shape`);
  }
  if (gradient !== undefined && !sameShape(gradient.shape, root.shape)) {
    throw new RangeError(`backward: gradient of shape ${fmt(gradient.shape)} does not match the tensor's shape ${fmt(root.shape)}`);
  }
  const order = root.gradFn ? topoOrder(root.gradFn) : [];
  for (let i = 0; i < order.length; i++) {
    const n = order[i];
    if (n.released) throw new Error(`backward: trying to backward through the graph a second time (the saved tensors of ${n.name} were freed by the first backward); pass { retainGraph: true } to the first call`);
  }
  for (let i = 0; i < order.length; i++) order[i].checkSaved(); // before any gradient is written
  const retain = options.retainGraph === true;
  tidy(() => noGrad(() => { run(root, gradient, order, retain); }));
}

// The walk, in small functions: each runs several times per step, so V8 optimises them after a
// few steps instead of waiting for one large function to get hot.

/** Seeds the root's gradient and runs every node in order (inside backward's tidy and noGrad). */
function run(root: Tensor, gradient: Tensor | undefined, order: Node[], retain: boolean): void {
  let seed = gradient;
  if (seed === undefined) { // ones like the root (one element): the kernel fill, without full()'s argument checks
    seed = Tensor.empty(root.shape, 'float32', 'backward');
    K().fill(seed.ptr('backward'), 1, 1);
  }
  const top = root.gradFn;
  if (!top) { accumulate(root, seed, false); return; }
  if (root.retainsGrad) accumulate(root, seed, false);
  // each node's incoming gradient waits in node.pending (no Map); a gradient handed to a node is
  // marked with this walk's number: a rule may pass it on unchanged, to several inputs, so a leaf
  // never takes such a tensor as its own; and only tensors made in this backward's own scope may
  // become a leaf's grad
  const mark = walk, here = currentScope();
  for (let i = 0; i < order.length; i++) order[i].pending = null;
  top.pending = seed;
  seed.passedIn = mark;
  try {
    for (let i = 0; i < order.length; i++) {
      const node = order[i], g = node.pending;
      if (g === null) continue;
      node.pending = null;
      runNode(node, g, retain, mark, here);
    }
  } finally {
    for (let i = 0; i < order.length; i++) order[i].pending = null; // a rule that threw leaves no gradient behind
  }
}

/** One node: its rule, then each input's gradient summed into the next node or a leaf's .grad. */
function runNode(node: Node, g: Tensor, retain: boolean, mark: number, here: unknown): void {
  const needs = node.needs, inputs = node.inputs, next = node.next;
  const inGrads = node.backwardFn(g, needs);
  if (isAnomalyEnabled()) checkBackward(node, g, inGrads);
  if (!retain) node.release();
  for (let i = 0; i < inputs.length; i++) {
    const gi = inGrads[i];
    if (!gi || !needs[i]) continue;
    const input = inputs[i];
    const gs = sameShape(gi.shape, input.shape) ? gi : sumToShape(gi, input.shape);
    const to = next[i];
    if (to) {
      if (input.retainsGrad && input.gradFn === to) accumulate(input, gs, false);
      const prev = to.pending;
      const sum = prev ? add(prev, gs) : gs;
      to.pending = sum;
      gs.passedIn = mark; sum.passedIn = mark;
    } else {
      // a leaf takes gs itself when it is a fresh result of this rule for this input alone
      accumulate(input, gs, gs.scope === here && gs.passedIn !== mark && !usedTwice(inGrads, gs, i));
    }
  }
}

/** Whether a rule returned `t` for another input than i too. */
function usedTwice(grads: readonly (Tensor | null)[], t: Tensor, i: number): boolean {
  for (let j = 0; j < grads.length; j++) if (j !== i && grads[j] === t) return true;
  return false;
}

// ---- as a Tensor method (bound in src/methods.ts) ---------------------------------------------
declare module '../tensor.js' {
  interface Tensor {
    /** Accumulates the gradients of this tensor into the leaves' `.grad` (`gradient` is needed unless it has one element). PyTorch: `torch.Tensor.backward`. */
    backward(gradient?: Tensor, options?: BackwardOptions): void;
  }
}
