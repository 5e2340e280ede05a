"""PyTorch's time for the CNN training step of bench/conv.bench.ts, on one thread: Conv2d(1,16,3) →
ReLU → MaxPool2d(2) → Conv2d(16,32,3) → ReLU → MaxPool2d(2) → Flatten → Linear(800,10), batch 32,
cross-entropy, Adam (lr 1e-3). Prints one JSON line: the median and best of several timed blocks,
per step in ms, and what PyTorch computes with (its BLAS and whether oneDNN runs the convolutions).

Run: /usr/bin/python3 bench/torch_cnn.py [--steps N]   (bench/conv.bench.ts runs it itself)
"""

import argparse
import json
import re
import statistics
import time

import torch


def main():
    parser = argparse.ArgumentParser(usage="/usr/bin/python3 bench/torch_cnn.py [--steps N (default 50)]")
    parser.add_argument("--steps", type=int, default=50, help="steps per timed block (5 blocks)")
    args = parser.parse_args()
    if args.steps < 1:
        parser.error(f"--steps needs an integer ≥ 1, not {args.steps}")
    torch.set_num_threads(1)
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(800, 10))
    x = torch.randn(32, 1, 28, 28)
    y = torch.randint(0, 10, (32,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    for _ in range(20):  # warm-up: oneDNN picks and caches its kernels on the first calls
        step()
    blocks = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(args.steps):
            step()
        blocks.append((time.perf_counter() - t0) / args.steps * 1e3)
    config = torch.__config__.show()
    blas = re.search(r"BLAS_INFO=(\w+)", config)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas.group(1) if blas else "unknown",
        "mkldnn": torch.backends.mkldnn.is_available(),
        "cpu_capability": (re.search(r"CPU capability usage: (\w+)", config) or [None, "unknown"])[1],
        "ms_median": statistics.median(blocks),
        "ms_best": min(blocks),
        "steps": 5 * args.steps,
    }))


if __name__ == "__main__":
    main()
