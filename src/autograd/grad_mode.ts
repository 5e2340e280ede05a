// Whether operations record the graph (PyTorch's grad mode).
let enabled = true;

/** Whether operations record the autograd graph now. PyTorch: `torch.is_grad_enabled`. */
export function isGradEnabled(): boolean { return enabled; }

function withMode<T>(mode: boolean, fn: () => T, op: string): T {
  if (typeof fn !== 'function') throw new TypeError(`${op}: expected a function to run, got ${fn === null ? 'null' : typeof fn === 'string' ? `string ${JSON.stringify(fn)}` : `${typeof fn} ${String(fn)}`}`);
  const prev = enabled;
  enabled = mode;
  try { return fn(); } finally { enabled = prev; }
}

/** Runs fn without recording the graph; returns fn(). PyTorch: `torch.no_grad`. */
export function noGrad<T>(fn: () => T): T { return withMode(false, fn, 'noGrad'); }
/** Runs fn with recording on, inside noGrad too; returns fn(). PyTorch: `torch.enable_grad`. */
export function enableGrad<T>(fn: () => T): T { return withMode(true, fn, 'enableGrad'); }

// Anomaly detection: while on, recorded operations and backward rules check their results for
// NaN and ±Infinity (autograd/graph.ts, autograd/engine.ts).
let anomaly = false;

/** @internal Whether detectAnomaly() is running. */
export function isAnomalyEnabled(): boolean { return anomaly; }

/**
 * Runs fn with anomaly detection: the first operation recorded for autograd whose output holds
 * NaN while its inputs held none (±Infinity in forward is left to masks), or the first backward
 * rule that returns NaN or ±Infinity from a finite gradient, throws an Error naming the operation
 * and the shapes. An async fn is checked until it settles. Slow (every
 * recorded result is scanned): for debugging. Returns fn(). PyTorch: `torch.autograd.detect_anomaly`.
 */
export function detectAnomaly<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`detectAnomaly: expected a function to run, got ${fn === null ? 'null' : typeof fn}`);
  const prev = anomaly;
  anomaly = true;
  let result: T;
  try { result = fn(); } catch (e) { anomaly = prev; throw e; }
  if (result instanceof Promise) {
    // an async fn is checked until it settles (the flag is global, as PyTorch's)
    return result.finally(() => { anomaly = prev; }) as T;
  }
  anomaly = prev;
  return result;
}
