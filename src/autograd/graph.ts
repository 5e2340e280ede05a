// The one place the graph is recorded. An op that produced `out` from `inputs` calls record()
// with its backward rule; what the rule needs is kept as saved handles, which share the
// tensors' storage (so disposing the originals is safe) and are released once backward ran.
import { Tensor } from '../tensor.js';
import { isGradEnabled, isAnomalyEnabled } from './grad_mode.js';
import { trackNode } from '../runtime/scope.js';
import { fmt } from '../shape.js';
import { f32View } from '../runtime/storage.js';

/** Given the output's gradient, returns one gradient per input (null where needs[i] is false). */
export type BackwardFn = (g: Tensor, needs: readonly boolean[]) => (Tensor | null)[];

/** A recorded operation: its inputs, backward rule and saved tensors. PyTorch: `torch.autograd.graph.Node`. */
export class Node {
  released = false;
  /** @internal The number of the last backward walk that reached this node (engine.ts topoOrder). */
  visited = 0;
  /** @internal During backward: the gradient summed so far for this node's output (engine.ts), instead of a Map. */
  pending: Tensor | null = null;
  /**
   * Each input's gradFn and requiresGrad when the op ran (PyTorch's edges): an in-place op that
   * later gives an input a new history must not reroute this node's gradient.
   */
  readonly next: (Node | null)[];
  readonly needs: boolean[];
  constructor(
    public readonly name: string,
    public readonly inputs: readonly Tensor[],
    public readonly backwardFn: BackwardFn,
    private saved: Tensor[],
  ) {
    const n = inputs.length;
    this.next = new Array<Node | null>(n);
    this.needs = new Array<boolean>(n);
    for (let i = 0; i < n; i++) { this.next[i] = inputs[i].gradFn; this.needs[i] = inputs[i].requiresGrad; }
  }

  /** Throws PyTorch's error when an in-place write changed a tensor this node saved. */
  checkSaved(): void {
    for (const s of this.saved) {
      if (s.storage.version === s.savedVersion) continue;
      const kind = s.dtype === 'float32' ? 'FloatTensor' : s.dtype === 'int32' ? 'IntTensor' : 'BoolTensor';
      const what = `[torch.${kind} ${fmt(s.shape)}]${s.savedFrom ? `, which is output 0 of ${s.savedFrom},` : ''}`;
      throw new Error(`backward: one of the variables needed for gradient computation has been modified by an inplace operation: ${what} is at version ${s.storage.version}; expected version ${s.savedVersion} instead (saved by ${this.name}). Hint: clone() the tensor before changing it in place, or change it after backward(); torch.autograd.detectAnomaly(fn) names the operation.`);
    }
  }

  /** Puts the saved buffers under the GC safety net (the node outlives every scope). */
  protectSaved(): void { for (const s of this.saved) s.registerFinalizer(); }

  /** Frees the saved buffers; a later backward through this node throws. */
  release(): void {
    if (this.saved.length === 0) return; // nothing freed: backward may run through it again
    for (const s of this.saved) s.dispose();
    this.saved = [];
    this.released = true;
  }
}

/** Whether an op on these operands must record (grad mode on and some input requires grad). */
export function needsGrad(...inputs: readonly (Tensor | number | null | undefined)[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t instanceof Tensor && t.requiresGrad) return true;
  return false;
}

/** A handle on t's data for backward, independent of t's own lifetime. */
export function save(t: Tensor): Tensor { return t.savedHandle(); }

/** The first NaN or ±Infinity of a float32 tensor (any strides), as a string, or null. For detectAnomaly. */
export function nonFinite(t: Tensor, nanOnly = false): string | null {
  if (t.dtype !== 'float32' || t.isDisposed) return null;
  const n = t.numel();
  if (n === 0) return null;
  const v = f32View(t.storage.ptr, t.storage.bytes / 4);
  const idx = new Array<number>(t.ndim).fill(0);
  for (let i = 0; i < n; i++) {
    let off = t.offset;
    for (let d = 0; d < t.ndim; d++) off += idx[d] * t.strides[d];
    if (nanOnly ? Number.isNaN(v[off]) : !Number.isFinite(v[off])) return String(v[off]);
    for (let d = t.ndim - 1; d >= 0; d--) { if (++idx[d] < t.shape[d]) break; idx[d] = 0; }
  }
  return null;
}

/**
 * detectAnomaly's forward check: the op's output holds NaN while its inputs were finite. Forward
 * ±Infinity is left alone: masks (maskedFill(m, -Infinity) before softmax) use it on purpose;
 * backward flags it.
 */
function checkForward(name: string, out: Tensor, inputs: readonly Tensor[]): void {
  const bad = nonFinite(out, true);
  if (bad === null || inputs.some((i) => nonFinite(i) !== null)) return; // a NaN from ±Infinity came from an earlier op
  throw new Error(`detectAnomaly: ${name.replace(/Backward\d*$/, '')} (${name}) produced ${bad} in forward: output of shape ${fmt(out.shape)} from finite inputs of shapes ${inputs.map((i) => fmt(i.shape)).join(', ')}`);
}

export function record(name: string, out: Tensor, inputs: readonly Tensor[], backward: BackwardFn, saved: Tensor[] = []): Tensor {
  if (isAnomalyEnabled()) {
    try { checkForward(name, out, inputs); } catch (e) { for (const h of saved) h.dispose(); throw e; } // no node will free them
  }
  const node = new Node(name, inputs, backward, saved);
  out.setGradFn(node);
  for (const s of saved) if (s.storage === out.storage && s.savedFrom === null) s.savedFrom = name; // the output, saved before it had a gradFn
  if (!trackNode(node, out)) node.protectSaved();
  return out;
}
