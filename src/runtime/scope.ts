// tidy / keep: which tensors a scope frees. Every new tensor joins the innermost open scope;
// closing it disposes the members that are not returned, kept, parameters, gradients or
// optimizer state (those are "pinned"). Returned tensors move to the enclosing scope.
import type { Tensor } from '../tensor.js';

const scopes: Set<Tensor>[] = [];

/** Adds t to the innermost scope; false when no scope is open. */
export function track(t: Tensor): boolean {
  if (scopes.length === 0) return false;
  scopes[scopes.length - 1].add(t);
  return true;
}

function collect(value: unknown, into: Set<Tensor>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if ((value as { isTensor?: boolean }).isTensor === true) { into.add(value as Tensor); return; }
  if (Array.isArray(value)) { for (const v of value) collect(v, into, seen); return; }
  if (value instanceof Map) { for (const v of value.values()) collect(v, into, seen); return; }
  if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, into, seen);
}

function close(scope: Set<Tensor>, result: unknown): void {
  const idx = scopes.lastIndexOf(scope);
  if (idx >= 0) scopes.splice(idx, 1);
  const keepers = new Set<Tensor>();
  collect(result, keepers, new Set());
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  for (const t of scope) {
    if (keepers.has(t)) {
      if (parent) parent.add(t); else t.registerFinalizer();
    } else if (t.pinned) {
      t.registerFinalizer(); // outlives the scope: parameters, gradients, state, keep()
    } else {
      t.dispose();
    }
  }
}

/**
 * Runs fn and frees every tensor it created except what it returns, parameters, gradients,
 * optimizer state and tensors passed to keep(). Awaits fn when it is async.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    close(scope, undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v) => { close(scope, v); return v; },
      (e) => { close(scope, undefined); throw e; },
    ) as T;
  }
  close(scope, result);
  return result;
}

/** Exempts t from every enclosing tidy(); the caller disposes it. */
export function keep<T extends Tensor>(t: T): T {
  t.pinned = true;
  t.registerFinalizer();
  return t;
}
