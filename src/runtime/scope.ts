// tidy / keep: which tensors a scope frees. Every new tensor joins the innermost open scope;
// closing it disposes the members that are not returned, kept, parameters, gradients or
// optimizer state (those are "pinned"). Returned tensors move to the enclosing scope.
// Graph nodes recorded inside a scope are tracked too: at close, those no surviving tensor
// can reach release their saved buffers (a forward pass with grad but no backward leaks nothing).
import type { Tensor } from '../tensor.js';
import type { Node } from '../autograd/graph.js';
import { describeValue } from '../options.js';

// Members are kept in an array and each tensor names its scope (Tensor.scope): no Set, whose
// identity hashes cost more than a small op.
interface Scope { tensors: Tensor[]; nodes: Node[]; closed: boolean; parent: Scope | null }

// The open scopes, innermost last. Synchronous code uses one stack; an async tidy() runs its
// function with a stack of its own carried by AsyncLocalStorage where the runtime has it (Node,
// Deno, Bun, workerd), so tensors made after an await still join its scope.
type Stack = Scope[];
const syncStack: Stack = [];
interface AsyncStorage { getStore(): Stack | undefined; run<R>(store: Stack, fn: () => R): R }
let als: AsyncStorage | null | undefined; // undefined: not looked up yet
let alsUsed = false; // set by the first async tidy: only then does track() consult the store

function asyncStorage(): AsyncStorage | null {
  if (als !== undefined) return als;
  const g = globalThis as { AsyncLocalStorage?: new () => AsyncStorage; process?: { getBuiltinModule?: (id: string) => { AsyncLocalStorage?: new () => AsyncStorage } | undefined } };
  let Ctor = g.AsyncLocalStorage;
  if (typeof Ctor !== 'function') {
    try { Ctor = g.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage; } catch { Ctor = undefined; }
  }
  als = typeof Ctor === 'function' ? new Ctor() : null;
  return als;
}

function stack(): Stack {
  if (alsUsed) { const s = als!.getStore(); if (s !== undefined) return s; }
  return syncStack;
}

/** The innermost scope still open (a callback started inside an async tidy may run after it closed), or null. */
function innermost(): Scope | null {
  const st = stack();
  for (let i = st.length - 1; i >= 0; i--) if (!st[i].closed) return st[i];
  return null;
}

/** @internal The innermost open scope (an opaque handle, compared with Tensor.scope), or null. */
export function currentScope(): unknown { return innermost(); }

/** Adds t to the innermost open scope; false when none is open. */
export function track(t: Tensor): boolean {
  const sc = innermost();
  if (sc === null) return false;
  sc.tensors.push(t);
  t.scope = sc;
  return true;
}

/**
 * Gives a graph node to the scope that owns its output (the innermost open one, or an outer one
 * for an in-place op on an outer tensor), so the node lives as long as the output can reach it;
 * false when no open scope owns the output.
 */
export function trackNode(n: Node, out: Tensor): boolean {
  const sc = out.scope as Scope | null;
  if (sc === null || sc.closed) return false;
  sc.nodes.push(n);
  return true;
}

// Tensors no scope will free wait for the garbage collector, which a synchronous loop never lets
// run its callbacks: past this many, one warning says so and names the one-line fix.
const WARN_TENSORS = 10_000;
const net = { tensors: 0, bytes: 0, warned: false };

/** @internal A tensor went under the GC net (bytes: its storage's). */
export function netAdd(bytes: number): void {
  net.tensors++; net.bytes += bytes;
  if (net.tensors >= WARN_TENSORS && !net.warned) {
    net.warned = true;
    console.warn(`wasmtorch: ${net.tensors} tensors (${(net.bytes / 2 ** 20).toFixed(1)} MiB of WebAssembly memory) were created outside any scope and wait for the garbage collector, which cannot free them while a synchronous loop runs. Add one line at the top of the loop body: \`using _ = torch.scope();\` (or wrap the body in torch.tidy(() => { ... })); see "Memory and errors" in the README.`);
  }
}
/** @internal A tensor under the GC net was disposed or collected. */
export function netRemove(bytes: number): void { net.tensors--; net.bytes -= bytes; }
/** @internal Live tensors under the GC net, and their bytes (views count their storage again). */
export function netStats(): { tensors: number; bytes: number } { return { tensors: net.tensors, bytes: net.bytes }; }

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

/** Every tensor reachable from value: through arrays, Sets, Maps (keys and values), plain objects and class instances' own fields. */
function collect(value: unknown, into: Set<Tensor>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if ((value as { isTensor?: boolean }).isTensor === true) { into.add(value as Tensor); return; }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Promise) return;
  if (Array.isArray(value)) { for (const v of value) collect(v, into, seen); return; }
  if (value instanceof Set) { for (const v of value) collect(v, into, seen); return; }
  if (value instanceof Map) { for (const [k, v] of value) { collect(k, into, seen); collect(v, into, seen); } return; }
  for (const v of Object.values(value)) collect(v, into, seen); // plain objects and class instances (not #private fields)
}

function close(scope: Scope, result: unknown, parentScope: Scope | null): void {
  scope.closed = true;
  // an async tidy can outlive the scope around it: its survivors then go where top-level ones go
  let parent = parentScope;
  while (parent !== null && parent.closed) parent = parent.parent;
  const keepers = new Set<Tensor>();
  if (result !== null && typeof result === 'object') collect(result, keepers, new Set());
  const survivors: Tensor[] = [];
  for (const t of scope.tensors) {
    if (t.scope !== scope) continue; // already handed on
    if (keepers.has(t)) {
      survivors.push(t);
      if (parent) { parent.tensors.push(t); t.scope = parent; } else { t.scope = null; t.registerFinalizer(); }
    } else if (t.pinned) {
      survivors.push(t);
      t.scope = null;
      t.registerFinalizer(); // outlives the scope: parameters, gradients, state, keep()
    } else {
      t.scope = null;
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
 * Runs fn and frees every tensor it created except what it returns (found inside arrays, objects,
 * Maps, Sets and class instances), parameters, gradients, optimizer state and tensors passed to
 * keep(). An async fn is awaited, and where the runtime has AsyncLocalStorage (Node, Deno, Bun,
 * workerd) tensors it creates after an await belong to its scope too. PyTorch: none.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new TypeError(`tidy: expected a function to run, got ${describeValue(fn)}${typeof fn === 'string' ? ' (tidy takes no name: tidy(() => ...))' : ''}`);
  }
  if (arguments.length > 1) throw new TypeError(`tidy: takes one function and nothing else, got ${arguments.length} arguments (tidy(() => ...))`);
  const outer = stack();
  const parent = innermost();
  const scope: Scope = { tensors: [], nodes: [], closed: false, parent };
  if ((fn as { constructor?: { name?: string } }).constructor?.name === 'AsyncFunction') {
    const storage = asyncStorage();
    if (storage) {
      alsUsed = true;
      const own: Stack = [...outer, scope]; // this call's stack, wherever its awaits resume
      const promise = storage.run(own, fn) as unknown as Promise<unknown>;
      return promise.then(
        (v) => { close(scope, v, parent); return v; },
        (e) => { close(scope, undefined, parent); throw e; },
      ) as T;
    }
  }
  outer.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    outer.splice(outer.lastIndexOf(scope), 1);
    close(scope, undefined, parent);
    throw e;
  }
  // without AsyncLocalStorage the scope covers fn's synchronous part only: after an await, other
  // tasks' tensors must not join it (the ones fn makes after its first await fall to the GC net)
  outer.splice(outer.lastIndexOf(scope), 1);
  if (result instanceof Promise) {
    return result.then(
      (v) => { close(scope, v, parent); return v; },
      (e) => { close(scope, undefined, parent); throw e; },
    ) as T;
  }
  close(scope, result, parent);
  return result;
}

/** A scope opened by `torch.scope()`: disposing it frees what was created since it opened. PyTorch: none. */
export interface Scoped {
  /** Frees every tensor created since the scope opened, except kept ones; idempotent. PyTorch: none. */
  close(): void;
  /** `using _ = torch.scope()` calls it when the block ends: the same as `close()`. PyTorch: none. */
  [Symbol.dispose](): void;
}

/**
 * Opens a scope that lasts until the returned handle is disposed: `using _ = torch.scope();` as the
 * first line of a loop body frees every tensor the iteration created, except parameters,
 * gradients, optimizer state and keep()'s tensors — the one-line fix for PyTorch code ported as
 * written. Scopes close innermost first. PyTorch: none (Python frees tensors by reference counting).
 */
export function scope(): Scoped {
  if (arguments.length > 0) throw new TypeError(`scope: takes no arguments, got ${arguments.length} (using _ = torch.scope();)`);
  const st = stack();
  const parent = innermost();
  const own: Scope = { tensors: [], nodes: [], closed: false, parent };
  st.push(own);
  const closeIt = (): void => {
    if (own.closed) return;
    const i = st.lastIndexOf(own);
    const inner = i >= 0 ? st.slice(i + 1).filter((sc) => !sc.closed).length : 0;
    if (i >= 0) st.splice(i, 1);
    close(own, undefined, parent);
    // closed out of order: async code interleaved two scopes, so tensors may have joined the wrong
    // one; the scopes stay consistent, but the caller should know
    if (inner > 0) throw new Error(`scope: closed while ${inner} scope(s) opened after it are still open (scopes interleaved by async code?); in an async function use await torch.tidy(async () => { ... }) instead`);
  };
  return { close: closeIt, [Symbol.dispose]: closeIt };
}

/** Exempts t from every enclosing tidy(); the caller disposes it. PyTorch: none. */
export function keep<T extends Tensor>(t: T): T {
  if (t === null || typeof t !== 'object' || (t as { isTensor?: unknown }).isTensor !== true) throw new TypeError(`keep: expected a Tensor, got ${describeValue(t)}`);
  t.ptr('keep'); // a disposed tensor throws under keep's name
  t.pinned = true;
  t.registerFinalizer();
  return t;
}
