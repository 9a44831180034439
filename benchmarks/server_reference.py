#!/usr/bin/env python3
"""The reference for glossa-server's load benchmark: the same endpoints in Python, as a
FastAPI user would write them, over the same files.

  server_reference.py --tokenizer T.tokenizer.json --lm MODEL_DIR [--port 8091]

POST /v1/tokenize   {"model": …, "texts": [...]}      HuggingFace tokenizers' encode_batch
POST /v1/generate   {"model": …, "prompt": …, "max_tokens", "temperature", "top_k", "seed", "stream"}
                     the Glossa language model's weights (its model.safetensors, PyTorch's
                     names) in torch.nn.LSTM, one token at a time, server-sent events when
                     streaming; each request generates on its own (no batching across requests)

Run under uvicorn with uvloop and httptools (uvicorn[standard]), one worker.
"""
import argparse, json, os, re

import torch
import torch.nn as nn
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel
from safetensors.torch import load_file
from tokenizers import Tokenizer

parser = argparse.ArgumentParser()
parser.add_argument("--tokenizer", required=True)
parser.add_argument("--lm", required=True)
parser.add_argument("--port", type=int, default=8091)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()
torch.set_num_threads(args.threads)

tokenizer = Tokenizer.from_file(args.tokenizer)
config = json.load(open(os.path.join(args.lm, "config.json")))["model"]
lm_tokenizer = Tokenizer.from_file(os.path.join(args.lm, "tokenizer.json"))
vocab = lm_tokenizer.get_vocab()
names = {i: t for t, i in vocab.items()}
end_id = vocab[config.get("end_token", "<eos>")]


class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Embedding(config["vocab_size"], config["embedding_dim"])
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[config["cell"]]
        self.rnn = rnn(config["embedding_dim"], config["hidden"], config["layers"])
        self.decoder = nn.Linear(config["hidden"], config["vocab_size"])

    def forward(self, x, h):
        out, h = self.rnn(self.encoder(x), h)
        return self.decoder(out), h


model = LM()
weights = load_file(os.path.join(args.lm, "model.safetensors"))
if "decoder.weight" not in weights:  # tied to the encoder
    weights["decoder.weight"] = weights["encoder.weight"]
model.load_state_dict(weights, strict=False)
model.eval()

app = FastAPI()


class TokenizeRequest(BaseModel):
    model: str
    texts: list[str]


class GenerateRequest(BaseModel):
    model: str
    prompt: str
    max_tokens: int = 50
    temperature: float = 1.0
    top_k: int | None = None
    seed: int = 0
    stream: bool = False


@app.post("/v1/tokenize")
def tokenize(request: TokenizeRequest):
    encodings = tokenizer.encode_batch(request.texts)
    return {"model": request.model, "encodings": [
        {"ids": e.ids, "tokens": e.tokens, "offsets": [list(o) for o in e.offsets],
         "attention_mask": e.attention_mask, "special_tokens_mask": e.special_tokens_mask}
        for e in encodings]}


def tokens(request):
    generator = torch.Generator().manual_seed(request.seed)
    ids = [end_id] + lm_tokenizer.encode(request.prompt).ids
    with torch.no_grad():
        out, h = model(torch.tensor(ids).view(-1, 1), None)
        for _ in range(request.max_tokens):
            logits = out[-1, 0] / max(request.temperature, 1e-6)
            if request.top_k:
                kth = torch.topk(logits, request.top_k).values[-1]
                logits = logits.masked_fill(logits < kth, float("-inf"))
            nxt = torch.multinomial(torch.softmax(logits, 0), 1, generator=generator)
            token = int(nxt)
            yield token, ("\n" if token == end_id else " " + names.get(token, ""))
            out, h = model(nxt.view(1, 1), h)


@app.post("/v1/generate")
def generate(request: GenerateRequest):
    if not request.stream:
        text = "".join(piece for _, piece in tokens(request))
        return {"model": request.model, "text": text, "tokens": request.max_tokens, "finish_reason": "length"}

    def events():
        text = ""
        for token, piece in tokens(request):
            text += piece
            yield f"event: token\ndata: {json.dumps({'id': token, 'token': piece})}\n\n"
        yield f"event: done\ndata: {json.dumps({'text': text, 'tokens': request.max_tokens})}\n\n"
    return StreamingResponse(events(), media_type="text/event-stream")


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", loop="uvloop", http="httptools")
