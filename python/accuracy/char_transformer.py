"""IterNorm in a transformer: a small character-level transformer trained on the plain-text
fortune files of Debian's `fortunes` package, with its layer norms as nn.LayerNorm and as
normforge.torch.LayerNorm (the IterNorm macro's forward arithmetic, bit for bit) in FP32, BF16
and BF16 wide, and as the FISR baseline (FP32, one Newton step); same seeds; validation loss
(cross-entropy in nats per character) per configuration over seeds.

The model: 2 pre-norm blocks (d = 64, 4 heads, MLP 256, GELU), causal attention over 64
characters, 5 layer norms; AdamW, batch 32. The macro's backward is not modelled: gradients
are the exact LayerNorm's (normforge.torch's documented straight-through rule).
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

CORPUS = Path("/usr/share/games/fortunes")
CONFIGURATIONS = {
    "torch-layernorm": None,
    "iternorm-fp32": {"format": "fp32"},
    "iternorm-bf16": {"format": "bf16"},
    "iternorm-bf16-wide": {"format": "bf16", "accumulate": "wide"},
    "fisr-fp32": {"format": "fp32", "fisr_steps": 1},
}


def corpus() -> bytes:
    """Every plain-text fortune file (the strfile indexes .dat and the .u8 links left out)."""
    files = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix not in (".dat", ".u8"))
    text = b"".join(p.read_bytes() for p in files)
    # Printable ASCII and newline; anything else becomes one placeholder character.
    table = bytes(c if (32 <= c < 127 or c == 10) else 0 for c in range(256))
    return text.translate(table)


def model(vocabulary: int, context: int, width: int = 64, heads: int = 4, layers: int = 2):
    import torch
    from torch import nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
            self.attention = nn.MultiheadAttention(width, heads, batch_first=True)
            self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

        def forward(self, x, mask):
            h = self.ln1(x)
            x = x + self.attention(h, h, h, attn_mask=mask, need_weights=False)[0]
            return x + self.mlp(self.ln2(x))

    class CharTransformer(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(vocabulary, width)
            self.position = nn.Parameter(torch.zeros(context, width))
            self.blocks = nn.ModuleList(Block() for _ in range(layers))
            self.ln = nn.LayerNorm(width)
            self.head = nn.Linear(width, vocabulary)
            self.register_buffer("mask", torch.triu(torch.full((context, context), float("-inf")), diagonal=1))

        def forward(self, tokens):
            x = self.embedding(tokens) + self.position[: tokens.shape[1]]
            for block in self.blocks:
                x = block(x, self.mask[: tokens.shape[1], : tokens.shape[1]])
            return self.head(self.ln(x))

    return CharTransformer()


def train(configuration: str, seed: int, *, steps: int, batch: int, context: int, lr: float,
          validation_batches: int) -> dict:
    import torch
    import normforge.torch as nft
    data = np.frombuffer(corpus(), dtype=np.uint8)
    symbols, data = np.unique(data, return_inverse=True)
    split = int(0.9 * len(data))
    train_data, validation_data = data[:split], data[split:]
    torch.manual_seed(seed)
    net = model(len(symbols), context)
    spec = CONFIGURATIONS[configuration]
    if spec is not None:
        nft.replace_modules(net, {"LayerNorm": {**spec, "threads": 1}})
    optimizer = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / 30) * 0.5 * (1 + math.cos(math.pi * s / steps)))
    rng = np.random.default_rng(seed)

    def windows(source, starts):
        index = starts[:, None] + np.arange(context + 1)[None, :]
        chunk = torch.from_numpy(source[index].astype(np.int64))
        return chunk[:, :-1], chunk[:, 1:]

    def loss_of(source, starts):
        x, y = windows(source, starts)
        logits = net(x)
        return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))

    started = time.monotonic()
    net.train()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_of(train_data, rng.integers(0, len(train_data) - context - 1, batch))
        loss.backward()
        optimizer.step()
        schedule.step()
    train_seconds = time.monotonic() - started
    # The same validation windows for every configuration and seed.
    fixed = np.random.default_rng(12345).integers(0, len(validation_data) - context - 1, (validation_batches, batch))
    net.eval()
    with torch.no_grad():
        validation = float(np.mean([float(loss_of(validation_data, s)) for s in fixed]))
    return {"validation_loss": validation, "final_train_loss": float(loss), "train_seconds": train_seconds}


def main(argv=None) -> int:
    parser = common.parser(__doc__.split("\n\n")[0], CONFIGURATIONS)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--context", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--validation-batches", type=int, default=40)
    args = parser.parse_args(argv)
    settings = dict(steps=args.steps, batch=args.batch, context=args.context, lr=args.lr,
                    validation_batches=args.validation_batches)
    document = common.run_experiment("char_transformer", "char-transformer-iternorm", args, CONFIGURATIONS, CORPUS, train, settings,
                                     "validation_loss")
    if document is None:
        return 2
    summary, runs = document["summary"], document["runs"]
    base = summary.get("torch-layernorm")
    print(f"Character transformer on fortunes, validation loss (nats/char), {args.steps} steps, seeds {args.seeds}")
    print(f"{'configuration':<20} {'mean':>8} {'min':>8} {'max':>8} {'vs nn.LayerNorm':>16} {'train s':>8}")
    for c, s in summary.items():
        gap = "" if base is None else f"{100 * (s['mean'] / base['mean'] - 1):+.2f} %"
        seconds = np.median([r["train_seconds"] for r in runs[c]])
        print(f"{c:<20} {s['mean']:>8.4f} {s['min']:>8.4f} {s['max']:>8.4f} {gap:>16} {seconds:>8.0f}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
