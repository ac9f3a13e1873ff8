"""Makes the robustness fixtures: a small MLP digits classifier (sklearn's bundled 8x8 digits, 64 features
in 0..16, 10 classes) written as ONNX from the trained weights, and a labelled test split.

Run from this folder: /usr/bin/python3 make-digits.py  (seeded; outputs are committed)
"""

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(7)
np.random.seed(7)

x, y = load_digits(return_X_y=True)
x = x.astype(np.float32)
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=200, random_state=7, stratify=y)

model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
xt, yt = torch.tensor(x_train / 16.0), torch.tensor(y_train)
for _ in range(300):
    optimiser.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(xt), yt)
    loss.backward()
    optimiser.step()

with torch.no_grad():
    accuracy = (model(torch.tensor(x_test / 16.0)).argmax(1).numpy() == y_test).mean()
print(f"test accuracy {accuracy:.3f}")

# The graph takes raw pixels (0..16): the 1/16 scaling is folded into the first layer's weights.
w1 = (model[0].weight.detach().numpy().T / 16.0).astype(np.float32)
b1 = model[0].bias.detach().numpy().astype(np.float32)
w2 = model[2].weight.detach().numpy().T.astype(np.float32)
b2 = model[2].bias.detach().numpy().astype(np.float32)
graph = helper.make_graph(
    [
        helper.make_node("MatMul", ["input", "w1"], ["h0"]),
        helper.make_node("Add", ["h0", "b1"], ["h1"]),
        helper.make_node("Relu", ["h1"], ["h2"]),
        helper.make_node("MatMul", ["h2", "w2"], ["h3"]),
        helper.make_node("Add", ["h3", "b2"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
    ],
    "digits-mlp",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 64])],
    [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 10])],
    [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
     numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(b2, "b2")],
)
onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make-digits.py")
onnx_model.ir_version = 8
onnx.checker.check_model(onnx_model)
onnx.save(onnx_model, "digits-mlp.onnx")

with open("digits-test.csv", "w") as out:
    out.write(",".join([f"p{i}" for i in range(64)] + ["label"]) + "\n")
    for row, label in zip(x_test, y_test):
        out.write(",".join(str(int(v)) for v in row) + f",{label}\n")

np.save("digits-test-x.npy", x_test[:50].astype(np.float32))
np.save("digits-test-y.npy", y_test[:50].astype(np.int64))
