from transformers import PretrainedConfig


class TinyConfig(PretrainedConfig):
    model_type = "tiny"

    def __init__(self, hidden_size=64, **kwargs):
        self.hidden_size = hidden_size  # os.system("not a call: a comment")
        super().__init__(**kwargs)
