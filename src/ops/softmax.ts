// softmax / logSoftmax along any dim: one kernel pass forward, one backward from the output.
import { Tensor } from '../tensor.js';
import { rows } from '../runtime/parallel.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { normDim, aroundDim } from '../shape.js';
import { dense } from './movement.js';
import { assertFloat, checkTensorArg } from './elementwise.js';
import { describeValue } from '../options.js';

function softmaxOp(x: Tensor, dim: number, log: boolean): Tensor {
  const op = log ? 'logSoftmax' : 'softmax';
  checkTensorArg(x, op);
  assertFloat(x, op);
  if (dim === undefined) throw new TypeError(`${op}: dim is required (as in torch.${log ? 'log_softmax' : 'softmax'})`);
  if (typeof dim !== 'number') throw new TypeError(`${op}: dim must be a number, got ${describeValue(dim)}`);
  const d = normDim(dim, x.ndim, op);
  const xc = dense(x, op);
  const out = Tensor.empty(x.shape, 'float32', op);
  const [outer, n, inner] = aroundDim(x.shape, d);
  rows('softmax', [xc.ptr(op), out.ptr(op), outer, n, inner, log ? 1 : 0], 2, [0, 1], [n * inner, n * inner], outer * n * inner);
  if (xc !== x) xc.dispose();
  if (needsGrad(x)) {
    const sy = save(out);
    record(log ? 'LogSoftmaxBackward0' : 'SoftmaxBackward0', out, [x], (g) => {
      const gc = dense(g);
      const dx = Tensor.empty(sy.shape, 'float32', 'backward');
      rows('softmaxBackward', [sy.ptr('backward'), gc.ptr('backward'), dx.ptr('backward'), outer, n, inner, log ? 1 : 0], 3, [0, 1, 2],
        [n * inner, n * inner, n * inner], outer * n * inner);
      if (gc !== g) gc.dispose();
      return [dx];
    }, [sy]);
  }
  return out;
}

/** `exp(x)/Σexp(x)` along `dim`. PyTorch: `torch.softmax`, `F.softmax`. */
export function softmax(x: Tensor, dim: number): Tensor {
  if (arguments.length > 2) extraArgs('softmax', arguments);
  return softmaxOp(x, dim, false);
}
/** `log(softmax(x))` along `dim`, computed stably. PyTorch: `torch.log_softmax`, `F.log_softmax`. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  if (arguments.length > 2) extraArgs('logSoftmax', arguments);
  return softmaxOp(x, dim, true);
}

/** PyTorch's dtype argument (or any other) would be ignored: refused instead. */
function extraArgs(op: string, args: IArguments): never {
  throw new TypeError(`${op}: takes (input, dim), got ${args.length} arguments (${describeValue(args[2])} third); dtype is not supported`);
}

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** `exp(x)/Σexp(x)` along `dim`. PyTorch: `torch.Tensor.softmax`. */
    softmax(dim: number): Tensor;
    /** `log(softmax(x))` along `dim`, computed stably. PyTorch: `torch.Tensor.log_softmax`. */
    logSoftmax(dim: number): Tensor;
  }
}
