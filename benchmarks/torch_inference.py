#!/usr/bin/env python3
"""PyTorch's side of GlossaBench's `inference` workload: inference alone under
torch.inference_mode() at batch 1 and batch 32, the peers' PTB-small two-layer LSTM language
model (Embedding(10000, 200) -> LSTM(200, 200, 2) -> Linear(200, 10000)) over 35 steps with
the state carried from call to call (tokens/s), and the peers' bidirectional-LSTM classifier
(Embedding(20000, 100) -> BiLSTM(128) -> Linear(256, 2)) over 200 tokens, the class read
with argmax (sequences/s). Random weights, synthetic ids. One JSON line, in GlossaBench's shape.

  python benchmarks/torch_inference.py [--threads 1,2] [--seconds 4]
"""
from torch_generation import rate, run_children, start_torch

STEPS, LENGTH = 35, 200


def child(threads, seconds):
    torch = start_torch(threads)
    import torch.nn as nn

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(10000, 200)
            self.rnn = nn.LSTM(200, 200, 2)
            self.dec = nn.Linear(200, 10000)
            for p in self.parameters():
                nn.init.uniform_(p, -0.1, 0.1)

        def forward(self, x, h=None):
            o, h = self.rnn(self.emb(x), h)
            return self.dec(o.reshape(-1, 200)), h

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(20000, 100)
            self.rnn = nn.LSTM(100, 128, 1, batch_first=True, bidirectional=True)
            self.out = nn.Linear(256, 2)

        def forward(self, x):
            _, (h, _) = self.rnn(self.emb(x))
            return self.out(torch.cat([h[-2], h[-1]], dim=1))

    lm, classifier = LM().eval(), Classifier().eval()
    result = {"threads": threads}
    for batch in (1, 32):
        ids = torch.randint(0, 10000, (STEPS, batch))
        state = {"h": None}

        def model_step():
            with torch.inference_mode():
                logits, state["h"] = lm(ids, state["h"])

        result[f"lstm2_b{batch}_tokens_per_s"] = rate(seconds, model_step) * STEPS * batch
        x = torch.randint(1, 20000, (batch, LENGTH))

        def classify():
            with torch.inference_mode():
                classifier(x).argmax(1).tolist()

        result[f"bilstm_cls_b{batch}_sequences_per_s"] = rate(seconds, classify) * batch
    return result


if __name__ == "__main__":
    run_children(__file__, child, "inference", {})
