#!/usr/bin/env python3
"""Native reference for bench/run.ts: the same classification head as bench/cells/ml.ts (dense
128 -> 10 softmax, Adam 0.01, batch 32, shuffled, N epochs) trained with PyTorch on this CPU, on
the feature vectors the browser extracted. Prints one JSON object.

    /usr/bin/python3 bench/torch_head.py FEATURES.json [--reps 5] [--epochs 10] [--threads 2]
"""

import argparse
import json
import time

import torch
import torch.nn as nn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("features")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    with open(args.features) as f:
        data = json.load(f)
    x = torch.tensor(data["x"], dtype=torch.float32)
    y = torch.tensor(data["y"], dtype=torch.long)
    n = x.shape[0]

    def train_once():
        head = nn.Linear(x.shape[1], 10)
        optimizer = torch.optim.Adam(head.parameters(), lr=0.01)
        loss_fn = nn.CrossEntropyLoss()  # softmax + categorical cross-entropy, as in the cell
        correct = 0
        for _ in range(args.epochs):
            order = torch.randperm(n)
            correct = 0
            for start in range(0, n, args.batch):
                idx = order[start:start + args.batch]
                optimizer.zero_grad()
                logits = head(x[idx])
                loss = loss_fn(logits, y[idx])
                loss.backward()
                optimizer.step()
                correct += int((logits.argmax(1) == y[idx]).sum())
        return correct / n

    samples = []
    accuracy = 0.0
    for i in range(args.reps + 1):
        started = time.perf_counter()
        accuracy = train_once()
        elapsed = (time.perf_counter() - started) * 1000
        if i > 0:
            samples.append(elapsed)
    print(json.dumps({"ms": samples, "examples": n, "epochs": args.epochs, "trainAccuracy": accuracy,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
