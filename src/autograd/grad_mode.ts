// Whether operations record the graph (PyTorch's grad mode).
let enabled = true;

/** Whether operations record the autograd graph now. PyTorch: `torch.is_grad_enabled`. */
export function isGradEnabled(): boolean { return enabled; }

function withMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  try { return fn(); } finally { enabled = prev; }
}

/** Runs fn without recording the graph; returns fn(). PyTorch: `torch.no_grad`. */
export function noGrad<T>(fn: () => T): T { return withMode(false, fn); }
/** Runs fn with recording on, inside noGrad too; returns fn(). PyTorch: `torch.enable_grad`. */
export function enableGrad<T>(fn: () => T): T { return withMode(true, fn); }
