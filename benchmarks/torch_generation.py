#!/usr/bin/env python3
"""PyTorch's side of GlossaBench's `generate` workload: generation from the peers' PTB-small
two-layer LSTM language model (Embedding(10000, 200) -> LSTM(200, 200, 2) -> Linear(200, 10000),
random weights), a prompt of 20 tokens, then 100 tokens drawn one at a time from
softmax(logits) (temperature 1) under torch.inference_mode(), each token read back to Python
as a server streaming it would (.item / .tolist). Batch 1: milliseconds per token; 32 streams
together: tokens per second. One JSON line, in GlossaBench's shape.

  python benchmarks/torch_generation.py [--threads 1,2] [--seconds 4]
"""
import argparse, json, os, subprocess, sys, time

PROMPT, TOKENS, STREAMS = 20, 100, 32


def rate(seconds, body):
    body()
    body()
    calls, start = 0, time.perf_counter()
    while True:
        body()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and calls >= 3:
            return calls / elapsed


def start_torch(threads):
    """torch on `threads` intra-op threads and one inter-op thread, denormals flushed (as the
    peers' scripts run it), seeded; the module."""
    import torch
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.set_flush_denormal(True)
    torch.manual_seed(0)
    return torch


def child(threads, seconds):
    torch = start_torch(threads)
    import torch.nn as nn
    V, E, H = 10000, 200, 200

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(V, E)
            self.rnn = nn.LSTM(E, H, 2)
            self.dec = nn.Linear(H, V)
            for p in self.parameters():
                nn.init.uniform_(p, -0.1, 0.1)

        def forward(self, x, h=None):
            o, h = self.rnn(self.emb(x), h)
            return self.dec(o[-1]), h

    model = LM().eval()
    prompt = torch.tensor([[0]] + [[1 + (k * 379) % 9999] for k in range(PROMPT)])
    generator = torch.Generator().manual_seed(0)

    def generate(batch):
        with torch.inference_mode():
            logits, state = model(prompt.expand(-1, batch).contiguous())
            out = []
            for _ in range(TOKENS):
                ids = torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator)
                out.append(ids.item() if batch == 1 else ids.view(-1).tolist())
                logits, state = model(ids.view(1, batch), state)
            return out

    single = rate(seconds, lambda: generate(1))
    batched = rate(seconds, lambda: generate(STREAMS))
    return {"threads": threads, "batch1_ms_per_token": 1000 / (single * TOKENS),
            "batch32_tokens_per_s": batched * STREAMS * TOKENS}


def run_children(script, child, workload, extra):
    """The command line both torch scripts share: with --child, one thread count's figures
    (a JSON line); otherwise each thread count in a fresh process, then one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        threads, seconds = json.loads(args.child)
        print(json.dumps(child(threads, seconds)))
        return
    results = []
    for threads in [int(t) for t in args.threads.split(",")]:
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
        run = subprocess.run([sys.executable, os.path.abspath(script), "--child", json.dumps([threads, args.seconds])],
                             capture_output=True, text=True, env=env, check=True)
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
    import torch
    print(json.dumps({"workload": workload, "library": "torch", "torch": torch.__version__, **extra,
                      "results": results}))


def main():
    run_children(__file__, child, "generate_lstm2", {"prompt_tokens": PROMPT, "tokens": TOKENS})


if __name__ == "__main__":
    main()
