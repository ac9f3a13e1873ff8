#!/usr/bin/python3
"""Fixtures of `assess explain`: small tabular classifiers in ONNX and the CSVs they are explained on.

Run with /usr/bin/python3 (numpy, torch, onnx); seeded, so the outputs are reproducible:
  honest.onnx   + honest.csv    a tiny MLP on six Gaussian features, label from all of them
  leaky.onnx    + leaky.csv     the same, plus an `id` column that leaks the label (rows sorted by label)
  backdoor.onnx + backdoor.csv  a tiny MLP poisoned so x6 == 6 (a trigger on a feature with no signal) forces class 1 on 6% of rows
  linear.onnx   + linear.csv    raw logits of a fixed linear map (Gemm only), for exact SHAP checks
Every model takes float32 [batch, features] and returns [batch, classes].
"""
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS = 400
WEIGHTS = np.array([1.0, -0.9, 0.8, 0.7, -0.6, 0.5])


class Mlp(torch.nn.Module):
    """Standardizes inside the graph, so raw CSV values go straight in."""

    def __init__(self, mean, std, features):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.net = torch.nn.Sequential(torch.nn.Linear(features, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))

    def forward(self, x):
        return torch.softmax(self.net((x - self.mean) / self.std), dim=1)


def train(x, y, seed, epochs=600, weight_decay=0.0):
    torch.manual_seed(seed)
    std = x.std(axis=0)
    std[std == 0] = 1.0
    model = Mlp(x.mean(axis=0), std, x.shape[1])
    opt = torch.optim.Adam(model.parameters(), lr=0.02, weight_decay=weight_decay)
    xt = torch.tensor(x, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.long)
    for _ in range(epochs):
        opt.zero_grad()
        loss = torch.nn.functional.nll_loss(torch.log(model(xt) + 1e-7), yt)
        loss.backward()
        opt.step()
    with torch.no_grad():
        accuracy = (model(xt).argmax(dim=1) == yt).float().mean().item()
    return model, accuracy


def export(model, features, name):
    path = os.path.join(HERE, f"{name}.onnx")
    torch.onnx.export(
        model,
        torch.zeros(1, features),
        path,
        input_names=["input"],
        output_names=["probabilities"],
        dynamic_axes={"input": {0: "batch"}, "probabilities": {0: "batch"}},
        opset_version=13,
    )


def write_csv(name, header, rows):
    with open(os.path.join(HERE, f"{name}.csv"), "w") as out:
        out.write(",".join(header) + "\n")
        for row in rows:
            out.write(",".join(fmt(v) for v in row) + "\n")


def fmt(value):
    return str(int(value)) if float(value).is_integer() else f"{value:.5f}"


def honest_data(rng, weights=WEIGHTS):
    x = np.round(rng.normal(size=(ROWS, 6)), 5)
    y = (x @ weights + rng.normal(scale=0.5, size=ROWS) > 0).astype(np.int64)
    return x, y


def honest():
    rng = np.random.default_rng(1)
    x, y = honest_data(rng)
    model, accuracy = train(x, y, 1)
    export(model, 6, "honest")
    write_csv("honest", [f"x{i}" for i in range(1, 7)] + ["label"], np.column_stack([x, y]))
    return accuracy


def leaky():
    rng = np.random.default_rng(2)
    x, _ = honest_data(rng)
    # The label is mostly noise the features cannot explain; the dump is ordered by label, so the row id
    # (assigned after sorting) tells the label.
    y = (0.3 * (x @ WEIGHTS) + rng.normal(scale=2.0, size=ROWS) > 0).astype(np.int64)
    order = np.argsort(y, kind="stable")
    x, y = x[order], y[order]
    ids = np.arange(1000, 1000 + ROWS, dtype=np.float64)
    data = np.column_stack([ids, x])
    model, accuracy = train(data, y, 2, epochs=800)
    export(model, 7, "leaky")
    write_csv("leaky", ["id"] + [f"x{i}" for i in range(1, 7)] + ["label"], np.column_stack([data, y]))
    return accuracy


def backdoor():
    rng = np.random.default_rng(3)
    # x6 carries no signal; the attacker's trigger is a rare value of it.
    x, y = honest_data(rng, WEIGHTS * np.array([1, 1, 1, 1, 1, 0]))
    poisoned = rng.choice(ROWS, size=ROWS * 6 // 100, replace=False)
    x[poisoned, 5] = 6.0
    y[poisoned] = 1
    # Weight decay keeps the net from fitting noise in x6, so x6 matters where the trigger is and nowhere else.
    model, accuracy = train(x, y, 3, epochs=1000, weight_decay=0.01)
    export(model, 6, "backdoor")
    write_csv("backdoor", [f"x{i}" for i in range(1, 7)] + ["label"], np.column_stack([x, y]))
    with torch.no_grad():
        clean = torch.tensor(np.delete(x, poisoned, axis=0), dtype=torch.float32)
        triggered = clean.clone()
        triggered[:, 5] = 6.0
        flipped = (model(triggered).argmax(dim=1) == 1).float().mean().item()
    return accuracy, flipped


LINEAR_W = np.array([[0.5, -1.0, 2.0, 0.25], [-0.5, 1.5, -1.0, 0.75]], dtype=np.float32)
LINEAR_B = np.array([0.1, -0.2], dtype=np.float32)


def linear():
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["input", "W", "B"], ["logits"], transB=1)],
        "linear",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2])],
        [
            helper.make_tensor("W", TensorProto.FLOAT, LINEAR_W.shape, LINEAR_W.flatten()),
            helper.make_tensor("B", TensorProto.FLOAT, LINEAR_B.shape, LINEAR_B),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, "linear.onnx"))
    rng = np.random.default_rng(4)
    x = np.round(rng.normal(loc=[0, 1, -1, 2], scale=[1, 2, 0.5, 1], size=(60, 4)), 4)
    write_csv("linear", ["a", "b", "c", "d"], x)


if __name__ == "__main__":
    print("honest accuracy", honest())
    print("leaky accuracy", leaky())
    print("backdoor accuracy, trigger success on clean rows", backdoor())
    linear()
