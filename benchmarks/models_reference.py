#!/usr/bin/env python3
"""PyTorch and scikit-learn references for Glossa's text classifier and language model.

Trains the same models on the same split files with the same settings as
`glossa train classify` / `glossa train lm`, tokenized the same way (words are
\\w+|[^\\w\\s]+, lowercased; the vocabulary ranked by count, then first appearance), and
prints one JSON line per run: quality on the validation file and wall-clock seconds.

  models_reference.py classify --train T.tsv --valid V.tsv [--epochs 5] [--threads 2]
  models_reference.py tfidf --train T.tsv --valid V.tsv
  models_reference.py lm --train T.txt --valid V.txt [--epochs 2] [--threads 2] [--generate 200]
  models_reference.py tag --train T.tsv --valid V.tsv [--crf] [--char-features] [--epochs 5]
  models_reference.py translate --train T.tsv --valid V.tsv [--attention bahdanau|luong-dot|luong-general|none]
  models_reference.py forecast-baselines --input F.csv --filter Ticker=AAPL --target "Adj Close" [--window 30]
  models_reference.py split-tsv --input F.tsv --valid-fraction 0.1 --seed 0 --out DIR
  models_reference.py split-tagged --input F.tsv --valid-fraction 0.1 --seed 0 --out DIR
  models_reference.py split-text --inputs F1 F2 ... --every 10 --out DIR
"""
import argparse, collections, json, math, os, random, re, sys, time

WORD = re.compile(r"\w+|[^\w\s]+")


def words(text):
    return WORD.findall(text.lower())


def vocabulary(token_lists, specials, min_count=1, max_size=None):
    counts, first = collections.Counter(), {}
    for tokens in token_lists:
        for t in tokens:
            if t not in first:
                first[t] = len(first)
            counts[t] += 1
    ranked = sorted((t for t in counts if counts[t] >= min_count and t not in specials),
                    key=lambda t: (-counts[t], first[t]))
    vocab = list(specials) + ranked
    if max_size:
        vocab = vocab[:max(max_size, len(specials))]
    return {t: i for i, t in enumerate(vocab)}


def read_tsv(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.strip():
            label, text = line.split("\t", 1)
            rows.append((label, text))
    return rows


def split_tsv(a):
    rows = [l for l in open(a.input, encoding="utf-8").read().splitlines() if l.strip()]
    order = list(range(len(rows)))
    random.Random(a.seed).shuffle(order)
    n = max(1, int(a.valid_fraction * len(rows)))
    valid, train = sorted(order[:n]), sorted(order[n:])
    os.makedirs(a.out, exist_ok=True)
    for name, part in [("train.tsv", train), ("valid.tsv", valid)]:
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            f.writelines(rows[i] + "\n" for i in part)
    print(json.dumps({"train": len(train), "valid": len(valid)}))


def split_text(a):
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "train.txt"), "w", encoding="utf-8") as t, \
            open(os.path.join(a.out, "valid.txt"), "w", encoding="utf-8") as v:
        for path in a.inputs:
            for k, line in enumerate(open(path, encoding="utf-8").read().splitlines()):
                (v if k % a.every == a.every - 1 else t).write(line + "\n")


def read_tagged(path):
    sentences, tokens, tags = [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags))
            tokens, tags = [], []
            continue
        token, tag = line.split("\t")
        tokens.append(token)
        tags.append(tag)
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def split_tagged(a):
    sentences = read_tagged(a.input)
    order = list(range(len(sentences)))
    random.Random(a.seed).shuffle(order)
    n = max(1, int(a.valid_fraction * len(sentences)))
    os.makedirs(a.out, exist_ok=True)
    for name, part in [("train.tsv", sorted(order[n:])), ("valid.tsv", sorted(order[:n]))]:
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            for i in part:
                tokens, tags = sentences[i]
                f.write("".join(f"{t}\t{g}\n" for t, g in zip(tokens, tags)) + "\n")
    print(json.dumps({"train": len(order) - n, "valid": n}))


def entities(tags):
    """Chunks by conlleval's rules (seqeval's default mode)."""
    result, prev_tag, prev_type, start = [], "O", "", None
    for i, tag in enumerate(tags + ["O"]):
        prefix, typ = (tag, "") if tag == "O" or "-" not in tag else tag.split("-", 1)
        end = prev_tag in ("E", "S") or (prev_tag in ("B", "I") and prefix in ("B", "S", "O")) or (
            prev_tag != "O" and prev_type != typ)
        if start is not None and end:
            result.append((prev_type, start, i - 1))
            start = None
        if prefix in ("B", "S") or (prev_tag in ("E", "S", "O") and prefix in ("E", "I")) or (
                prefix != "O" and prev_type != typ):
            start = i
        prev_tag, prev_type = prefix, typ
    return result


def tag(a):
    import torch
    import torch.nn as nn
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(a.seed)
    train, valid = read_tagged(a.train), read_tagged(a.valid)
    tagset = sorted({t for _, tags in train for t in tags})
    words = vocabulary([[w.lower() for w in ws] for ws, _ in train], ["[PAD]", "[UNK]"])
    chars = {c: i + 2 for i, c in enumerate(sorted({c for ws, _ in train for w in ws for c in w}))}
    K = len(tagset)

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(len(words), a.embedding_dim, padding_idx=0)
            extra = 0
            if a.char_features:
                self.char_embedding = nn.Embedding(len(chars) + 2, 25, padding_idx=0)
                self.char_rnn = nn.LSTM(25, 25, bidirectional=True)
                extra = 50
            self.rnn = nn.LSTM(a.embedding_dim + extra, a.hidden, bidirectional=True)
            self.dropout = nn.Dropout(a.dropout)
            self.output = nn.Linear(2 * a.hidden, K)
            if a.crf:
                self.start = nn.Parameter(torch.empty(K).uniform_(-0.1, 0.1))
                self.end = nn.Parameter(torch.empty(K).uniform_(-0.1, 0.1))
                self.trans = nn.Parameter(torch.empty(K, K).uniform_(-0.1, 0.1))

        def emissions(self, sentences):
            lengths = torch.tensor([len(s) for s in sentences])
            T, B = int(lengths.max()), len(sentences)
            ids = torch.zeros(T, B, dtype=torch.long)
            for b, s in enumerate(sentences):
                ids[:len(s), b] = torch.tensor([words.get(w.lower(), 1) for w in s])
            x = self.embedding(ids)
            if a.char_features:
                distinct = sorted({w for s in sentences for w in s})
                index = {w: i for i, w in enumerate(distinct)}
                clen = torch.tensor([len(w) for w in distinct])
                cids = torch.zeros(int(clen.max()), len(distinct), dtype=torch.long)
                for i, w in enumerate(distinct):
                    cids[:len(w), i] = torch.tensor([chars.get(c, 1) for c in w])
                packed = nn.utils.rnn.pack_padded_sequence(self.char_embedding(cids), clen, enforce_sorted=False)
                _, (h, _) = self.char_rnn(packed)
                feats = torch.cat([torch.cat([h[0], h[1]], 1), torch.zeros(1, 50)], 0)
                rows = torch.full((T, B), len(distinct), dtype=torch.long)
                for b, s in enumerate(sentences):
                    rows[:len(s), b] = torch.tensor([index[w] for w in s])
                x = torch.cat([x, feats[rows]], 2)
            packed = nn.utils.rnn.pack_padded_sequence(self.dropout(x), lengths, enforce_sorted=False)
            out, _ = self.rnn(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out)
            return self.output(self.dropout(out)), lengths

        def crf_nll(self, e, y, lengths):
            T, B, _ = e.shape
            mask = (torch.arange(T)[:, None] < lengths[None, :]).float()
            score = self.start[y[0]] + e[0, torch.arange(B), y[0]]
            for t in range(1, T):
                score = score + mask[t] * (self.trans[y[t - 1], y[t]] + e[t, torch.arange(B), y[t]])
            last = y[lengths - 1, torch.arange(B)]
            score = score + self.end[last]
            alpha = self.start + e[0]
            for t in range(1, T):
                nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans.unsqueeze(0), 1) + e[t]
                alpha = torch.where(mask[t].unsqueeze(1) > 0, nxt, alpha)
            return (torch.logsumexp(alpha + self.end, 1) - score).mean()

        def viterbi(self, e, lengths):
            paths = []
            for b in range(e.shape[1]):
                L = int(lengths[b])
                score, back = self.start + e[0, b], []
                for t in range(1, L):
                    total = score.unsqueeze(1) + self.trans
                    best, idx = total.max(0)
                    score = best + e[t, b]
                    back.append(idx)
                tag = int((score + self.end).argmax())
                path = [tag]
                for idx in reversed(back):
                    tag = int(idx[tag])
                    path.append(tag)
                paths.append(path[::-1])
            return paths

    model = Tagger()
    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)
    def targets(batch, T):
        y = torch.zeros(T, len(batch), dtype=torch.long)
        for b, (_, tags) in enumerate(batch):
            y[:len(tags), b] = torch.tensor([tagset.index(t) for t in tags])
        return y

    def evaluate():
        model.eval()
        correct = total = 0
        hit = found = wanted = 0
        decode_seconds = 0.0
        with torch.no_grad():
            for s in range(0, len(valid), 64):
                chunk = valid[s:s + 64]
                e, lengths = model.emissions([w for w, _ in chunk])
                t0 = time.time()
                paths = model.viterbi(e, lengths) if a.crf else [
                    e[:int(lengths[b]), b].argmax(1).tolist() for b in range(len(chunk))]
                decode_seconds += time.time() - t0
                for (ws, gold), path in zip(chunk, paths):
                    guess = [tagset[i] for i in path]
                    correct += sum(g == p for g, p in zip(gold, guess))
                    total += len(gold)
                    ge, pe = set(entities(gold)), set(entities(guess))
                    hit, found, wanted = hit + len(ge & pe), found + len(pe), wanted + len(ge)
        model.train()
        p = hit / found if found else 0
        r = hit / wanted if wanted else 0
        return correct / total, (2 * p * r / (p + r) if p + r else 0), decode_seconds

    start, history, rng, train_seconds = time.time(), [], random.Random(a.seed), 0.0
    for epoch in range(a.epochs):
        order = list(range(len(train)))
        rng.shuffle(order)
        t0 = time.time()
        for s in range(0, len(order), a.batch_size):
            batch = [train[i] for i in order[s:s + a.batch_size]]
            e, lengths = model.emissions([w for w, _ in batch])
            y = targets(batch, e.shape[0])
            if a.crf:
                loss = model.crf_nll(e, y, lengths)
            else:
                mask = torch.arange(e.shape[0])[:, None] < lengths[None, :]
                loss = nn.functional.cross_entropy(e[mask], y[mask])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        train_seconds += time.time() - t0
        history.append(evaluate())
    print(json.dumps({"lib": "pytorch", "task": "tag", "crf": a.crf, "char_features": a.char_features,
                      "best_valid_accuracy": max(h[0] for h in history), "best_entity_f1": max(h[1] for h in history),
                      "epoch_accuracy": [h[0] for h in history], "seconds": time.time() - start,
                      "sentences_per_s": a.epochs * len(train) / train_seconds,
                      "decode_sentences_per_s": len(valid) / max(history[-1][2], 1e-9), "threads": a.threads}))


def forecast_baselines(a):
    """The naive forecast and the linear autoregression on the test windows of the split
    Glossa's forecaster makes (windows in time; 15% validation, 15% test, gaps of the horizon),
    computed with numpy, one day ahead, for the value."""
    import csv
    import numpy as np
    column, value = a.filter.split("=", 1) if a.filter else (None, None)
    rows = [r for r in csv.DictReader(open(a.input, encoding="utf-8")) if column is None or r[column] == value]
    rows.sort(key=lambda r: r["Date"])
    y = np.array([float(r[a.target]) for r in rows])
    w, h = a.window, 1
    ends = list(range(w - 1, len(y) - h))
    test_n, valid_n = max(1, int(len(ends) * 0.15)), max(1, int(len(ends) * 0.15))
    train_n = len(ends) - test_n - valid_n - 2 * h
    train, test = ends[:train_n], ends[-test_n:]
    feats = lambda e: np.append(y[e - w + 1:e + 1] / y[e] - 1, 1.0)
    X = np.array([feats(e) for e in train])
    t = np.array([y[e + h] / y[e] - 1 for e in train])
    W = np.linalg.solve(X.T @ X + 1e-6 * len(train) * np.eye(w + 1), X.T @ t)
    actual = np.array([y[e + h] for e in test])
    naive = np.array([y[e] for e in test])
    ar = np.array([y[e] * (1 + feats(e) @ W) for e in test])
    scale = np.mean([abs(y[e + h] - y[e]) for e in train])
    def metrics(p):
        err = p - actual
        return {"mae": float(np.abs(err).mean()), "rmse": float(np.sqrt((err ** 2).mean())),
                "mase": float(np.abs(err).mean() / scale),
                "direction": float(np.mean((p > naive) == (actual > naive)))}
    print(json.dumps({"lib": "numpy", "task": "forecast_baselines", "test_windows": len(test),
                      "naive": metrics(naive), "autoregression": metrics(ar)}))


def classify(a):
    import torch
    import torch.nn as nn
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(a.seed)
    train, valid = read_tsv(a.train), read_tsv(a.valid)
    labels = sorted({l for l, _ in train})
    vocab = vocabulary([words(t) for _, t in train], ["[PAD]", "[UNK]"], min_count=2)
    def encode(rows):
        return [([vocab.get(w, 1) for w in words(t)][:a.max_length] or [0], labels.index(l)) for l, t in rows]
    tr, va = encode(train), encode(valid)

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(len(vocab), a.embedding_dim, padding_idx=0)
            self.rnn = nn.LSTM(a.embedding_dim, a.hidden, bidirectional=True)
            self.dropout = nn.Dropout(a.dropout)
            self.output = nn.Linear(2 * a.hidden, len(labels))

        def forward(self, ids, lengths):
            x = self.dropout(self.embedding(ids))
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
            _, (h, _) = self.rnn(packed)
            return self.output(self.dropout(torch.cat([h[-2], h[-1]], dim=1)))

    model = Classifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss()

    def batch(rows):
        lengths = torch.tensor([len(ids) for ids, _ in rows])
        ids = torch.zeros(int(lengths.max()), len(rows), dtype=torch.long)
        for b, (seq, _) in enumerate(rows):
            ids[:len(seq), b] = torch.tensor(seq)
        return ids, lengths, torch.tensor([y for _, y in rows])

    def accuracy(rows):
        model.eval()
        correct = 0
        with torch.no_grad():
            for s in range(0, len(rows), 128):
                ids, lengths, y = batch(rows[s:s + 128])
                correct += int((model(ids, lengths).argmax(1) == y).sum())
        model.train()
        return correct / len(rows)

    start, best, epochs = time.time(), 0.0, []
    rng = random.Random(a.seed)
    for epoch in range(a.epochs):
        order = list(range(len(tr)))
        rng.shuffle(order)
        for s in range(0, len(order), a.batch_size):
            ids, lengths, y = batch([tr[i] for i in order[s:s + a.batch_size]])
            optimizer.zero_grad()
            loss_fn(model(ids, lengths), y).backward()
            optimizer.step()
        acc = accuracy(va)
        epochs.append(acc)
        best = max(best, acc)
    seconds = time.time() - start
    print(json.dumps({"lib": "pytorch", "task": "classify", "best_valid_accuracy": best, "epoch_accuracy": epochs,
                      "seconds": seconds, "threads": a.threads, "examples_per_s": a.epochs * len(tr) / seconds,
                      "torch": torch.__version__}))


def tfidf(a):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    train, valid = read_tsv(a.train), read_tsv(a.valid)
    start = time.time()
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x = vectorizer.fit_transform([t for _, t in train])
    model = LogisticRegression(max_iter=2000, C=4).fit(x, [l for l, _ in train])
    accuracy = float((model.predict(vectorizer.transform([t for _, t in valid])) == [l for l, _ in valid]).mean())
    print(json.dumps({"lib": "scikit-learn", "task": "tfidf_logreg", "valid_accuracy": accuracy,
                      "seconds": time.time() - start}))


def lm(a):
    import torch
    import torch.nn as nn
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(a.seed)
    read = lambda p: [words(l) + ["<eos>"] for l in open(p, encoding="utf-8").read().splitlines()]
    train_lines, valid_lines = read(a.train), read(a.valid)
    vocab = vocabulary(train_lines, ["<unk>", "<eos>"], max_size=a.vocab_size)
    def ids(lines):
        return torch.tensor([vocab.get(w, 0) for l in lines for w in l], dtype=torch.long)
    def batchify(data, bsz):
        n = data.size(0) // bsz
        return data[:n * bsz].view(bsz, -1).t().contiguous()
    train, valid = batchify(ids(train_lines), a.batch_size), batchify(ids(valid_lines), 10)

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = nn.Embedding(len(vocab), a.hidden)
            self.rnn = nn.LSTM(a.hidden, a.hidden, a.layers, dropout=a.dropout)
            self.decoder = nn.Linear(a.hidden, len(vocab))
            self.drop = nn.Dropout(a.dropout)
            nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
            nn.init.uniform_(self.decoder.weight, -0.1, 0.1)
            nn.init.zeros_(self.decoder.bias)

        def forward(self, x, h):
            out, h = self.rnn(self.drop(self.encoder(x)), h)
            return self.decoder(self.drop(out)).view(-1, len(vocab)), h

    model, loss_fn, lr = LM(), nn.CrossEntropyLoss(), a.lr
    def evaluate(source):
        model.eval()
        total, h = 0.0, None
        with torch.no_grad():
            for i in range(0, source.size(0) - 1, a.bptt):
                n = min(a.bptt, source.size(0) - 1 - i)
                out, h = model(source[i:i + n], h)
                total += n * source.size(1) * loss_fn(out, source[i + 1:i + 1 + n].reshape(-1)).item()
        model.train()
        return total / ((source.size(0) - 1) * source.size(1))
    start, best, history, tokens = time.time(), float("inf"), [], 0
    for epoch in range(a.epochs):
        h = None
        for i in range(0, train.size(0) - 1, a.bptt):
            n = min(a.bptt, train.size(0) - 1 - i)
            if h is not None:
                h = tuple(t.detach() for t in h)
            model.zero_grad()
            out, h = model(train[i:i + n], h)
            loss = loss_fn(out, train[i + 1:i + 1 + n].reshape(-1))
            loss.backward()
            if a.log_every and (i // a.bptt + 1) % a.log_every == 0:
                print(json.dumps({"step": i // a.bptt + 1, "epoch": epoch + 1, "loss": loss.item()}), file=sys.stderr)
            torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-lr)
            tokens += n * train.size(1)
        loss = evaluate(valid)
        history.append(math.exp(loss))
        if loss < best:
            best = loss
        else:
            lr /= 4
    seconds = time.time() - start
    # Generation: one token at a time from a prompt, sampled at temperature 1.
    model.eval()
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        prompt = torch.tensor([[vocab["<eos>"]] + [vocab.get(w, 0) for w in words("it is a truth")]]).t()
        out, h = model(prompt, None)
        t0 = time.time()
        for _ in range(a.generate):
            p = torch.softmax(out[-1], 0)
            nxt = torch.multinomial(p, 1, generator=g)
            out, h = model(nxt.view(1, 1), h)
        gen_rate = a.generate / (time.time() - t0)
    print(json.dumps({"lib": "pytorch", "task": "lm", "best_valid_perplexity": math.exp(best),
                      "epoch_perplexity": history, "seconds": seconds, "tokens_per_s": tokens / seconds,
                      "generate_tokens_per_s": gen_rate, "threads": a.threads, "vocab": len(vocab)}))


def joins(token, previous):
    """Glossa's detokenization of words: closing punctuation and apostrophes attach."""
    return (token != "" and all(c in ".,;:!?)]}" for c in token)) or token == "'" or previous == "'" \
        or previous in ("(", "[", "{", "\u00bf", "\u00a1")


def translate(a):
    """An encoder-decoder as `glossa train translate` builds it: word tokens (case kept), a
    bidirectional GRU encoder (hidden/2 per direction, final states side by side as the
    decoder's first), a GRU decoder stepped one token at a time with Bahdanau, Luong (dot,
    general) or no attention, h~ = tanh(W_c [c; s]), the output layer over all steps at once;
    Adam, clipping 1.0, teacher forcing; the epoch kept by greedy validation BLEU (sacreBLEU);
    then the best model's beam-5 translation of the validation sources, timed."""
    import torch
    import torch.nn as nn
    import sacrebleu
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    tokens = lambda text: WORD.findall(text)
    read = lambda p: [l.split("\t")[:2] for l in open(p, encoding="utf-8").read().splitlines() if l.strip()]
    train, valid = read(a.train), read(a.valid)
    specials = ["<pad>", "<unk>", "<s>", "</s>"]
    src_vocab = vocabulary([tokens(s) for s, _ in train], specials, max_size=a.vocab_size)
    tgt_vocab = vocabulary([tokens(t) for _, t in train], specials, max_size=a.vocab_size)
    tgt_words = {i: w for w, i in tgt_vocab.items()}
    PAD, BOS, EOS = 0, 2, 3
    H, E = a.hidden, a.embedding_dim
    attention = a.attention

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.src_embedding = nn.Embedding(len(src_vocab), E, padding_idx=PAD)
            self.encoder = nn.GRU(E, H // 2, batch_first=True, bidirectional=True)
            self.tgt_embedding = nn.Embedding(len(tgt_vocab), E, padding_idx=PAD)
            self.decoder = nn.GRUCell(E + (H if attention != "none" else 0), H)
            if attention == "bahdanau":
                self.query_layer = nn.Linear(H, H, bias=False)
                self.key_layer = nn.Linear(H, H, bias=False)
                self.score_layer = nn.Linear(H, 1, bias=False)
            elif attention == "luong-general":
                self.key_layer = nn.Linear(H, H, bias=False)
            if attention != "none":
                self.combine = nn.Linear(2 * H, H, bias=False)
            self.generator = nn.Linear(H, len(tgt_vocab))
            nn.init.uniform_(self.generator.weight, -0.1, 0.1)
            nn.init.zeros_(self.generator.bias)
            self.drop = nn.Dropout(a.dropout)

        def encode(self, src, lengths):
            x = self.drop(self.src_embedding(src))
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            out, h = self.encoder(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.size(1))
            state = torch.cat([h[0], h[1]], dim=1)
            mask = (src == PAD).float() * -1e30
            keys = self.key_layer(out) if attention in ("bahdanau", "luong-general") else out
            return out, keys, mask, state

        def attend(self, query, values, keys, mask):
            if attention == "bahdanau":
                scores = self.score_layer(torch.tanh(self.query_layer(query).unsqueeze(1) + keys)).squeeze(2)
            else:
                scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)
            weights = torch.softmax(scores + mask, dim=1)
            return torch.bmm(weights.unsqueeze(1), values).squeeze(1)

        def step(self, embedded, state, feed, memory):
            values, keys, mask = memory
            if attention == "none":
                state = self.decoder(embedded, state)
                return state, state, None
            if attention == "bahdanau":
                context = self.attend(state, values, keys, mask)
                state = self.decoder(torch.cat([embedded, context], 1), state)
            else:
                state = self.decoder(torch.cat([embedded, feed], 1), state)
                context = self.attend(state, values, keys, mask)
            out = torch.tanh(self.combine(torch.cat([context, state], 1)))
            return out, state, out

        def forward(self, src, lengths, tgt_in):
            values, keys, mask, state = self.encode(src, lengths)
            feed = torch.zeros(src.size(0), H)
            embedded = self.drop(self.tgt_embedding(tgt_in))
            outs = []
            for t in range(tgt_in.size(1)):
                out, state, feed = self.step(embedded[:, t], state, feed, (values, keys, mask))
                outs.append(out)
            return self.generator(self.drop(torch.stack(outs, 1)))

    def pad(rows):
        width = max(len(r) for r in rows)
        return torch.tensor([r + [PAD] * (width - len(r)) for r in rows])

    def src_ids(text):
        return [src_vocab.get(w, 1) for w in tokens(text)][:200]

    def detokenize(ids):
        text, previous = "", ""
        for i in ids:
            w = tgt_words.get(i, "<unk>")
            if w in specials:
                continue
            if text and not joins(w, previous):
                text += " "
            text += w
            previous = w
        return text

    def greedy(batch):
        src = [src_ids(s) for s in batch]
        with torch.no_grad():
            values, keys, mask, state = model.encode(pad(src), torch.tensor([len(s) for s in src]))
            feed = torch.zeros(len(src), H)
            prev = torch.full((len(src),), BOS)
            out_ids = [[] for _ in src]
            done = [False] * len(src)
            limits = [2 * len(s) + 10 for s in src]
            for t in range(max(limits)):
                out, state, feed = model.step(model.tgt_embedding(prev), state, feed, (values, keys, mask))
                best = model.generator(out).argmax(1)
                for b in range(len(src)):
                    if not done[b]:
                        if best[b].item() == EOS:
                            done[b] = True
                        else:
                            out_ids[b].append(best[b].item())
                            done[b] = len(out_ids[b]) >= limits[b]
                if all(done):
                    break
                prev = best
        return [detokenize(i) for i in out_ids]

    def beam_search(batch, K=5, alpha=0.6):
        """Batched beam search: the 2K best extensions, those among the first K that end are
        finished with the GNMT length penalty; done at K finished or the maximum length."""
        src = [src_ids(s) for s in batch]
        n = len(src)
        with torch.no_grad():
            values, keys, mask, state = model.encode(pad(src), torch.tensor([len(s) for s in src]))
            rows = torch.arange(n).repeat_interleave(K)
            values, keys, mask, state = values[rows], keys[rows], mask[rows], state[rows]
            feed = torch.zeros(n * K, H)
            scores = torch.full((n, K), float("-inf"))
            scores[:, 0] = 0
            hyps = [[[] for _ in range(K)] for _ in range(n)]
            finished = [[] for _ in range(n)]
            done = [False] * n
            prev = torch.full((n * K,), BOS)
            lp = lambda length: ((5 + length) / 6) ** alpha
            for t in range(max(2 * len(s) + 10 for s in src)):
                out, state, feed = model.step(model.tgt_embedding(prev), state, feed, (values, keys, mask))
                logp = torch.log_softmax(model.generator(out), 1).view(n, K, -1)
                V = logp.size(2)
                total = (scores.unsqueeze(2) + logp).view(n, -1)
                top, index = total.topk(2 * K, dim=1)
                parents = torch.zeros(n, K, dtype=torch.long)
                new_prev = torch.full((n, K), EOS)
                new_scores = torch.full((n, K), float("-inf"))
                new_hyps = [[[] for _ in range(K)] for _ in range(n)]
                for b in range(n):
                    if done[b]:
                        continue
                    kept = 0
                    for rank in range(2 * K):
                        k, token, score = index[b, rank].item() // V, index[b, rank].item() % V, top[b, rank].item()
                        if score == float("-inf"):
                            break
                        if token == EOS:
                            if rank < K:
                                finished[b].append((score / lp(len(hyps[b][k]) + 1), hyps[b][k]))
                        elif kept < K:
                            new_hyps[b][kept] = hyps[b][k] + [token]
                            parents[b, kept], new_prev[b, kept], new_scores[b, kept] = k, token, score
                            kept += 1
                    if len(finished[b]) < K and len(new_hyps[b][0]) >= 2 * len(src[b]) + 10:
                        finished[b] += [(new_scores[b, k].item() / lp(len(new_hyps[b][k])), new_hyps[b][k])
                                        for k in range(kept)]
                    if len(finished[b]) >= K or kept == 0:
                        done[b] = True
                if all(done):
                    break
                select = (torch.arange(n).unsqueeze(1) * K + parents).view(-1)
                state, feed = state[select], (feed[select] if feed is not None else None)
                prev, scores, hyps = new_prev.view(-1), new_scores, new_hyps
        return [detokenize(max(f, key=lambda x: x[0])[1]) for f in finished]

    def translate_all(fn, rows, size=32):
        return [h for i in range(0, len(rows), size) for h in fn([s for s, _ in rows[i:i + size]])]

    model = Seq2Seq()
    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
    examples = [(src_ids(s), [tgt_vocab.get(w, 1) for w in tokens(t)]) for s, t in train]
    start, best, best_state, history, sentences, train_seconds = time.time(), -1.0, None, [], 0, 0.0
    for epoch in range(a.epochs):
        model.train()
        order = list(range(len(examples)))
        random.shuffle(order)
        t0 = time.time()
        for i in range(0, len(order), a.batch_size):
            batch = [examples[k] for k in order[i:i + a.batch_size]]
            src = pad([s for s, _ in batch])
            tgt_in = pad([[BOS] + t for _, t in batch])
            tgt_out = pad([t + [EOS] for _, t in batch])
            optimizer.zero_grad()
            logits = model(src, torch.tensor([len(s) for s, _ in batch]), tgt_in)
            loss = loss_fn(logits.reshape(-1, logits.size(2)), tgt_out.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            sentences += len(batch)
        train_seconds += time.time() - t0
        model.eval()
        bleu = sacrebleu.corpus_bleu(translate_all(greedy, valid), [[t for _, t in valid]]).score
        history.append(bleu)
        if bleu > best:
            best, best_state = bleu, {k: v.clone() for k, v in model.state_dict().items()}
    seconds = time.time() - start
    model.load_state_dict(best_state)
    model.eval()
    t0 = time.time()
    hyps = translate_all(beam_search, valid)
    beam_seconds = time.time() - t0
    references = [[t for _, t in valid]]
    print(json.dumps({"lib": "pytorch", "task": "translate", "attention": attention, "seed": a.seed,
                      "best_valid_bleu_greedy": best, "epoch_bleu": history,
                      "beam5_bleu": sacrebleu.corpus_bleu(hyps, references).score,
                      "beam5_chrf": sacrebleu.corpus_chrf(hyps, references).score,
                      "seconds": seconds, "train_sentences_per_s": sentences / train_seconds,
                      "beam5_sentences_per_s": len(valid) / beam_seconds, "threads": a.threads,
                      "source_vocab": len(src_vocab), "target_vocab": len(tgt_vocab)}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=["classify", "tfidf", "lm", "tag", "translate", "forecast-baselines", "split-tsv",
                                     "split-text", "split-tagged"])
    ap.add_argument("--attention", default="bahdanau")
    ap.add_argument("--filter"); ap.add_argument("--target"); ap.add_argument("--window", type=int, default=30)
    ap.add_argument("--crf", action="store_true"); ap.add_argument("--char-features", action="store_true")
    ap.add_argument("--train"); ap.add_argument("--valid"); ap.add_argument("--input"); ap.add_argument("--out")
    ap.add_argument("--inputs", nargs="*"); ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--valid-fraction", type=float, default=0.1)
    ap.add_argument("--epochs", type=int, default=5); ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0); ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--embedding-dim", type=int, default=100); ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.3); ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--max-length", type=int, default=100); ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--bptt", type=int, default=35); ap.add_argument("--clip", type=float, default=0.25)
    ap.add_argument("--vocab-size", type=int, default=10000); ap.add_argument("--generate", type=int, default=200)
    ap.add_argument("--log-every", type=int, default=0)
    a = ap.parse_args()
    {"classify": classify, "tfidf": tfidf, "lm": lm, "tag": tag, "translate": translate, "forecast-baselines": forecast_baselines,
     "split-tsv": split_tsv, "split-text": split_text, "split-tagged": split_tagged}[a.task](a)


if __name__ == "__main__":
    main()
