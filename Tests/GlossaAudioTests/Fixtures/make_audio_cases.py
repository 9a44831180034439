"""Makes audio_cases.json: signals and what torchaudio computes from them, for GlossaAudio's
tests (run with torch, torchaudio and soundfile: pip install torch torchaudio soundfile).

Each case: a signal at 16 kHz (a two-tone chord, seeded noise, a chirp); its power spectrogram
(n_fft 400, hop 160: torchaudio.transforms.Spectrogram's defaults otherwise; the chord's only); mel power with
HTK's scale (40 bands, no norm) and with Slaney's (64 bands, norm "slaney"); MFCC (13 of 40
HTK bands: transforms.MFCC's defaults, dB with top_db 80, orthonormal DCT); the deltas of those
MFCCs (functional.compute_deltas, window 5). Also a 44.1 kHz signal resampled to 16 kHz and
8 kHz (functional.resample's defaults), and small WAV files in each sample format with the
floats soundfile reads from them."""
import json, math, os
import numpy as np
import soundfile
import torch
import torchaudio

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
t = np.arange(4000) / 16000
signals = {
    "chord": 0.5 * np.sin(2 * math.pi * 440 * t) + 0.3 * np.sin(2 * math.pi * 1000 * t),
    "noise": rng.uniform(-0.5, 0.5, 3200),
    "chirp": 0.8 * np.sin(2 * math.pi * (200 + 3000 * t[:3600]) * t[:3600]),
}
cases = []
for name, signal in signals.items():
    x = torch.tensor(signal, dtype=torch.float32)[None]
    spec = torchaudio.transforms.Spectrogram(n_fft=400, hop_length=160, power=2.0)(x)[0]
    htk = torchaudio.transforms.MelSpectrogram(16000, n_fft=400, hop_length=160, n_mels=40)(x)[0]
    slaney = torchaudio.transforms.MelSpectrogram(
        16000, n_fft=400, hop_length=160, n_mels=64, mel_scale="slaney", norm="slaney")(x)[0]
    mfcc = torchaudio.transforms.MFCC(16000, n_mfcc=13, melkwargs=dict(n_fft=400, hop_length=160, n_mels=40))(x)[0]
    deltas = torchaudio.functional.compute_deltas(mfcc)
    cases.append({
        "name": name, "sample_rate": 16000, "signal": x[0].tolist(),
        "spectrogram": spec.T.tolist(), "mel_htk_40": htk.T.tolist(), "mel_slaney_64": slaney.T.tolist(),
        "mfcc_13": mfcc.T.tolist(), "mfcc_13_deltas": deltas.T.tolist(),
    })
t44 = np.arange(2205) / 44100
high = torch.tensor(0.6 * np.sin(2 * math.pi * 1000 * t44) + 0.2 * np.sin(2 * math.pi * 9000 * t44), dtype=torch.float32)
resampled = {str(rate): torchaudio.functional.resample(high[None], 44100, rate)[0].tolist() for rate in (16000, 8000)}
wavs = []
clip = np.stack([np.linspace(-1, 0.99, 50), np.sin(np.arange(50) / 3) * 0.7], axis=1)
for subtype in ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT"]:
    file = f"clip_{subtype.lower()}.wav"
    soundfile.write(os.path.join(here, file), clip, 8000, subtype=subtype)
    read, rate = soundfile.read(os.path.join(here, file), dtype="float32", always_2d=True)
    wavs.append({"file": file, "sample_rate": rate, "channels": read.T.tolist()})
cases[1].pop("spectrogram")
cases[2].pop("spectrogram")


def rounded(value):
    """Floats to 8 significant digits (float32 needs 9 for exactness; tests allow 1e-5)."""
    if isinstance(value, float):
        return float("%.8g" % value)
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


with open(os.path.join(here, "audio_cases.json"), "w") as f:
    json.dump(rounded({"torchaudio": torchaudio.__version__, "torch": torch.__version__, "soundfile": soundfile.__version__,
               "cases": cases, "resample_44100": {"signal": high.tolist(), "outputs": resampled}, "wavs": wavs}), f)
