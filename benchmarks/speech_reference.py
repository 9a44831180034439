"""The speech workloads of GlossaBench (ctc_loss, mel_spectrogram) in PyTorch and torchaudio,
on 1 and 2 threads (the spectrogram on 1), printing one JSON line each as GlossaBench does:
  speech_reference.py [--seconds 4]
ctc_loss: torch.nn.functional.ctc_loss forward and backward (mean reduction) on log-softmax
outputs of 200 steps × 32 sequences × 30 classes, targets of 30 symbols. mel_spectrogram:
torchaudio.transforms.MelSpectrogram (n_fft 400, hop 160, 40 bands) of 10 s at 16 kHz."""
import argparse, json, time
import torch
import torchaudio


def rate(seconds, body):
    body(); body()
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < seconds or calls < 3:
        body()
        calls += 1
    return calls / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=4)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(3)
    steps, batch, classes, length = 200, 32, 30, 30
    logits = torch.empty(steps, batch, classes).uniform_(-2, 2)
    log_probs = torch.log_softmax(logits, 2).detach().requires_grad_()
    targets = torch.randint(1, classes, (batch, length))
    lengths = torch.full((batch,), steps, dtype=torch.long)
    target_lengths = torch.full((batch,), length, dtype=torch.long)

    def ctc():
        log_probs.grad = None
        torch.nn.functional.ctc_loss(log_probs, targets, lengths, target_lengths).backward()

    results = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        results.append({"threads": threads, "batches_per_s": rate(a.seconds, ctc)})
    torch.set_num_threads(1)
    print(json.dumps({"workload": "ctc_loss", "library": "pytorch", "torch": torch.__version__, "results": results}))
    t = torch.arange(160000, dtype=torch.float32)
    audio = (0.5 * torch.sin(t * 0.05) + 0.1 * torch.sin(t * 0.9))[None]
    mel = torchaudio.transforms.MelSpectrogram(16000, n_fft=400, hop_length=160, n_mels=40)
    print(json.dumps({"workload": "mel_spectrogram", "library": "torchaudio", "torchaudio": torchaudio.__version__,
                      "results": [{"threads": 1, "audio_seconds_per_s": 10 * rate(a.seconds, lambda: mel(audio))}]}))


if __name__ == "__main__":
    main()
