// toString like PyTorch's repr: tensor([[ 0.1000, -1.2000]], requires_grad=True).
import type { Tensor } from '../tensor.js';

function fmtNumber(v: number, dtype: string, fixed: boolean): string {
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return fixed ? v.toFixed(4) : v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

export function formatTensor(t: Tensor): string {
  if (t.isDisposed) return `tensor(<disposed>, shape=[${t.shape.join(', ')}])`;
  const flat = t.dataSync();
  const finite = flat.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  // PyTorch switches to scientific notation when magnitudes span too widely
  const fixed = finite.length === 0 || (Math.max(...finite) < 1e8 && Math.max(...finite) / Math.min(...finite) < 1000 && Math.min(...finite) >= 1e-4);
  const strs = flat.map((v) => fmtNumber(v, t.dtype, fixed));
  const width = Math.max(0, ...strs.map((s) => s.length));
  let i = 0;
  const indent = 'tensor('.length;
  const build = (d: number): string => {
    if (t.ndim === 0) return strs[0];
    const parts: string[] = [];
    for (let k = 0; k < t.shape[d]; k++) parts.push(d === t.ndim - 1 ? strs[i++].padStart(width) : build(d + 1));
    if (d === t.ndim - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(t.ndim - 1 - d) + ' '.repeat(indent + d + 1);
    return `[${parts.join(sep)}]`;
  };
  const extras: string[] = [];
  if (t.dtype === 'int32') extras.push('dtype=torch.int32');
  if (t.gradFn) extras.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push('requires_grad=True');
  const body = t.numel() === 0 ? '[]' : build(0);
  return `tensor(${body}${extras.length ? ', ' + extras.join(', ') : ''})`;
}
