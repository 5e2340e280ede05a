// tidy / keep: which tensors a scope frees. Every new tensor joins the innermost open scope;
// closing it disposes the members that are not returned, kept, parameters, gradients or
// optimizer state (those are "pinned"). Returned tensors move to the enclosing scope.
// Graph nodes recorded inside a scope are tracked too: at close, those no surviving tensor
// can reach release their saved buffers (a forward pass with grad but no backward leaks nothing).
import type { Tensor } from '../tensor.js';
import type { Node } from '../autograd/graph.js';
import { describeValue } from '../options.js';

interface Scope { tensors: Set<Tensor>; nodes: Node[] }
const scopes: Scope[] = [];

/** Adds t to the innermost scope; false when no scope is open. */
export function track(t: Tensor): boolean {
  if (scopes.length === 0) return false;
  scopes[scopes.length - 1].tensors.add(t);
  return true;
}

/** Adds a graph node to the innermost scope; false when no scope is open. */
export function trackNode(n: Node): boolean {
  if (scopes.length === 0) return false;
  scopes[scopes.length - 1].nodes.push(n);
  return true;
}

/** Nodes reachable from the tensors' gradFns. */
function reachable(roots: Iterable<Tensor>): Set<Node> {
  const seen = new Set<Node>();
  const stack: Node[] = [];
  for (const t of roots) if (t.gradFn && !seen.has(t.gradFn)) { seen.add(t.gradFn); stack.push(t.gradFn); }
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const m of n.next) if (m && !seen.has(m)) { seen.add(m); stack.push(m); }
  }
  return seen;
}

function collect(value: unknown, into: Set<Tensor>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if ((value as { isTensor?: boolean }).isTensor === true) { into.add(value as Tensor); return; }
  if (Array.isArray(value)) { for (const v of value) collect(v, into, seen); return; }
  if (value instanceof Map) { for (const v of value.values()) collect(v, into, seen); return; }
  if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, into, seen);
}

function close(scope: Scope, result: unknown, parent: Scope | null): void {
  const keepers = new Set<Tensor>();
  collect(result, keepers, new Set());
  const survivors: Tensor[] = [];
  for (const t of scope.tensors) {
    if (keepers.has(t)) {
      survivors.push(t);
      if (parent) parent.tensors.add(t); else t.registerFinalizer();
    } else if (t.pinned) {
      survivors.push(t);
      t.registerFinalizer(); // outlives the scope: parameters, gradients, state, keep()
    } else {
      t.dispose();
    }
  }
  if (scope.nodes.length === 0) return;
  const live = survivors.length > 0 ? reachable(survivors) : new Set<Node>();
  for (const n of scope.nodes) {
    if (n.released) continue;
    if (!live.has(n)) n.release();
    else if (parent) parent.nodes.push(n);
    else n.protectSaved();
  }
}

/**
 * Runs fn and frees every tensor it created except what it returns, parameters, gradients,
 * optimizer state and tensors passed to keep(). Awaits fn when it is async. PyTorch: none.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new TypeError(`tidy: expected a function to run, got ${describeValue(fn)}${typeof fn === 'string' ? ' (tidy takes no name: tidy(() => ...))' : ''}`);
  }
  if (arguments.length > 1) throw new TypeError(`tidy: takes one function and nothing else, got ${arguments.length} arguments (tidy(() => ...))`);
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  const scope: Scope = { tensors: new Set(), nodes: [] };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.splice(scopes.lastIndexOf(scope), 1);
    close(scope, undefined, parent);
    throw e;
  }
  // the scope covers fn's synchronous part only: after an await, other tasks' tensors must not
  // join it (the ones fn makes after its first await fall to the GC safety net)
  scopes.splice(scopes.lastIndexOf(scope), 1);
  if (result instanceof Promise) {
    return result.then(
      (v) => { close(scope, v, parent); return v; },
      (e) => { close(scope, undefined, parent); throw e; },
    ) as T;
  }
  close(scope, result, parent);
  return result;
}

/** Exempts t from every enclosing tidy(); the caller disposes it. PyTorch: none. */
export function keep<T extends Tensor>(t: T): T {
  if (t === null || typeof t !== 'object' || (t as { isTensor?: unknown }).isTensor !== true) throw new TypeError(`keep: expected a Tensor, got ${describeValue(t)}`);
  t.pinned = true;
  t.registerFinalizer();
  return t;
}
