// A few seed-model training steps, shared by every runtime test: the same code runs in Node,
// Chromium (page and worker), Deno and workerd, and returns the losses for comparison.
export function seedLosses(torch, steps = 5) {
  torch.manualSeed(1);
  const x = torch.randn(100, 10), y = torch.randn(100, 1);
  const model = new torch.nn.Sequential(new torch.nn.Linear(10, 20), new torch.nn.ReLU(), new torch.nn.Linear(20, 1));
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
  const criterion = new torch.nn.MSELoss();
  const losses = [];
  for (let i = 0; i < steps; i++) {
    losses.push(torch.tidy(() => {
      const loss = criterion.forward(model.forward(x), y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss.item();
    }));
  }
  const prediction = torch.tidy(() => model.forward(torch.ones(1, 10)).item());
  return { losses, prediction, info: torch.backendInfo() };
}
