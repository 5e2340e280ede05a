// What an async tidy frees, shared by the Deno and workerd tests: with AsyncLocalStorage the
// tensors made before and after the await are disposed when it ends, the returned one is not.
export async function asyncTidyFrees(torch) {
  let before, after;
  const kept = await torch.tidy(async () => {
    before = torch.ones(3);
    await new Promise((r) => setTimeout(r, 1));
    after = torch.ones(4);
    return torch.ones(2);
  });
  const r = { before: before.isDisposed, after: after.isDisposed, kept: kept.isDisposed };
  kept.dispose();
  return r;
}
