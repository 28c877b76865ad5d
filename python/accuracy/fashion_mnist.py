"""LightNorm's claim on a small CNN: Fashion-MNIST trained with FP32 nn.BatchNorm2d and with
normforge.torch.RangeBatchNorm2d (the range-BN training unit's arithmetic, bit for bit) at MXINT8,
MXFP8-E4M3 and HBFP8 I/O, same seeds; test accuracy per configuration over seeds.

The data is Debian's dataset-fashion-mnist (IDX files, read here; nothing is downloaded). The
network: conv 3x3/2 (32) - maxpool - BN - ReLU - conv 3x3 (64) - maxpool - BN - ReLU - linear,
so that both batch norms see channels in whole MX blocks; Adam, batch 64, one epoch by default.
"""

from __future__ import annotations

import gzip
import struct
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

DATA = Path("/usr/share/datasets/fashion-mnist")
CONFIGURATIONS = {"fp32-bn": None, "range-mxint8": "mxint8", "range-mxfp8-e4m3": "mxfp8-e4m3", "range-hbfp8": "hbfp8"}


def read_idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[:2] != b"\0\0" or data[2] != 8:
        raise ValueError(f"{path} is not an IDX file of bytes")
    dims = struct.unpack(f">{data[3]}I", data[4:4 + 4 * data[3]])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * data[3]).reshape(dims)


def load(train_images: int, test_images: int):
    x_train = read_idx(DATA / "train-images-idx3-ubyte.gz")[:train_images]
    y_train = read_idx(DATA / "train-labels-idx1-ubyte.gz")[:train_images]
    x_test = read_idx(DATA / "t10k-images-idx3-ubyte.gz")[:test_images]
    y_test = read_idx(DATA / "t10k-labels-idx1-ubyte.gz")[:test_images]
    scale = lambda a: ((a.astype(np.float32) / 255.0 - 0.2860) / 0.3530)[:, None]  # noqa: E731 (train set's mean/std)
    return scale(x_train), y_train.astype(np.int64), scale(x_test), y_test.astype(np.int64)


def network():
    from torch import nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.MaxPool2d(2), nn.BatchNorm2d(32), nn.ReLU(),
        nn.Conv2d(32, 64, 3, padding=1), nn.MaxPool2d(2), nn.BatchNorm2d(64), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * 3 * 3, 10))


def train(configuration: str, seed: int, *, train_images: int, test_images: int, epochs: int, batch: int,
          lr: float) -> dict:
    import torch
    import normforge.torch as nft
    torch.manual_seed(seed)
    model = network()
    preset = CONFIGURATIONS[configuration]
    if preset is not None:
        nft.replace_modules(model, {"BatchNorm2d": {"input": preset, "chunks": 8}})
    x_train, y_train, x_test, y_test = load(train_images, test_images)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    order = np.random.default_rng(seed)
    started = time.monotonic()
    loss = float("nan")
    for _ in range(epochs):
        model.train()
        permutation = order.permutation(len(x_train))
        for start in range(0, len(permutation) - batch + 1, batch):  # whole batches: the unit's n is fixed
            index = permutation[start:start + batch]
            optimizer.zero_grad()
            out = torch.nn.functional.cross_entropy(model(torch.from_numpy(x_train[index])),
                                                    torch.from_numpy(y_train[index]))
            out.backward()
            optimizer.step()
            loss = float(out)
    train_seconds = time.monotonic() - started
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(x_test), batch):
            logits = model(torch.from_numpy(x_test[start:start + batch]))
            correct += int((logits.argmax(1).numpy() == y_test[start:start + batch]).sum())
    return {"accuracy": correct / len(x_test), "final_train_loss": loss, "train_seconds": train_seconds}


def main(argv=None) -> int:
    parser = common.parser(__doc__.split("\n\n")[0], CONFIGURATIONS)
    parser.add_argument("--train-images", type=int, default=60000)
    parser.add_argument("--test-images", type=int, default=10000)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    args = parser.parse_args(argv)
    settings = dict(train_images=args.train_images, test_images=args.test_images, epochs=args.epochs,
                    batch=args.batch, lr=args.lr)
    document = common.run_experiment("fashion_mnist", "fashion-mnist-range-bn", args, CONFIGURATIONS, DATA, train, settings, "accuracy")
    if document is None:
        return 2
    summary, runs = document["summary"], document["runs"]
    base = summary.get("fp32-bn")
    print(f"Fashion-MNIST test accuracy, {args.epochs} epoch(s) on {args.train_images} images, seeds {args.seeds}")
    print(f"{'configuration':<20} {'mean':>8} {'min':>8} {'max':>8} {'vs FP32 BN':>11} {'train s':>8}")
    for c, s in summary.items():
        gap = "" if base is None else f"{100 * (s['mean'] - base['mean']):+.2f} pp"
        seconds = np.median([r["train_seconds"] for r in runs[c]])
        print(f"{c:<20} {100 * s['mean']:>7.2f}% {100 * s['min']:>7.2f}% {100 * s['max']:>7.2f}% {gap:>11} {seconds:>8.0f}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
