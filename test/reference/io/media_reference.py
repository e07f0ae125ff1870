"""Reference features for mimo's audio and image front ends, from PyTorch / torchaudio / numpy.

Request (JSON on stdin): {"audio": path of little-endian float32 samples (16 kHz mono),
"image": path of uint8 RGB pixels, "image_height": H, "image_width": W, "output": path}.
Writes a safetensors file of reference tensors and prints a JSON summary on stdout.

- Whisper log-mel: openai/whisper's recipe (torch.stft with a periodic Hann window, centred,
  reflect padding, last frame dropped, |X|^2, mel filters, log10, max-8 clamp, (x+4)/4), with the
  Slaney mel filterbank built here in numpy from librosa's published formulas (htk=False,
  norm='slaney'). Computed in float64 (the reference) and in float32 (what whisper runs).
- Kaldi fbank: torchaudio.compliance.kaldi.fbank, in float64 and float32; BEATs' scaling
  (x 2^15) and normalisation ((x - 15.41663) / (2 * 6.55582)).
- Pixels: Hugging Face's rescale (float64 then float32) and normalise (float32) steps.
"""
import json
import sys

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

from safetensors_writer import write_safetensors


def slaney_hz_to_mel(hz):
    hz = np.asarray(hz, dtype=np.float64)
    f_sp = 200.0 / 3
    mel = hz / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(hz >= min_log_hz, min_log_mel + np.log(np.maximum(hz, 1e-10) / min_log_hz) / logstep, mel)


def slaney_mel_to_hz(mel):
    mel = np.asarray(mel, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(mel >= min_log_mel, min_log_hz * np.exp(logstep * (mel - min_log_mel)), f_sp * mel)


def slaney_mel_filters(sr, n_fft, n_mels):
    fft_freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    mel_points = slaney_mel_to_hz(np.linspace(slaney_hz_to_mel(0.0), slaney_hz_to_mel(sr / 2.0), n_mels + 2))
    widths = np.diff(mel_points)
    ramps = mel_points[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_points[2:] - mel_points[:-2]))[:, None]
    return weights.astype(np.float32)


def whisper_log_mel(audio, filters, dtype):
    audio = torch.from_numpy(audio).to(dtype)
    window = torch.hann_window(400, periodic=True, dtype=dtype)
    stft = torch.stft(audio, 400, 160, window=window, center=True, pad_mode='reflect', return_complex=True)
    power = stft[..., :-1].abs() ** 2
    mel = torch.from_numpy(filters).to(dtype) @ power
    log_spec = torch.clamp(mel, min=1e-10).log10()
    log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
    return ((log_spec + 4.0) / 4.0).numpy()


def beats_fbank(audio, dtype):
    waveform = torch.from_numpy(audio).to(dtype).unsqueeze(0) * 2 ** 15
    fbank = kaldi.fbank(waveform, num_mel_bins=128, sample_frequency=16000, frame_length=25, frame_shift=10)
    return fbank.numpy(), ((fbank - 15.41663) / (2 * 6.55582)).numpy()


def main():
    request = json.load(sys.stdin)
    audio = np.fromfile(request['audio'], dtype='<f4').astype(np.float32)
    out = {}
    summary = {'torch': torch.__version__, 'torchaudio': torchaudio.__version__, 'samples': int(audio.size)}

    for n_mels in (80, 128):
        filters = slaney_mel_filters(16000, 400, n_mels)
        # torchaudio's own Slaney filterbank as a cross-check of the formula transcription.
        ta = torchaudio.functional.melscale_fbanks(201, 0.0, 8000.0, n_mels, 16000, norm='slaney', mel_scale='slaney')
        summary[f'mel{n_mels}_vs_torchaudio'] = float(np.abs(ta.numpy().T - filters).max())
        out[f'mel_filters_{n_mels}'] = filters
        out[f'whisper_{n_mels}'] = whisper_log_mel(audio, filters, torch.float64)
        out[f'whisper_{n_mels}_f32'] = whisper_log_mel(audio, filters, torch.float32).astype(np.float64)

    fbank64, beats64 = beats_fbank(audio, torch.float64)
    _, beats32 = beats_fbank(audio, torch.float32)
    out['fbank_128'] = fbank64
    out['beats'] = beats64
    out['beats_f32'] = beats32.astype(np.float64)
    # A second Kaldi configuration: other frame sizes, window, band edges, unscaled input.
    other = kaldi.fbank(torch.from_numpy(audio).to(torch.float64).unsqueeze(0), num_mel_bins=40,
                        sample_frequency=16000, frame_length=20, frame_shift=12.5, window_type='hamming',
                        low_freq=50, high_freq=-400, preemphasis_coefficient=0.9)
    out['fbank_other'] = other.numpy()

    if 'image' in request:
        height, width = request['image_height'], request['image_width']
        pixels = np.fromfile(request['image'], dtype=np.uint8).reshape(height, width, 3)
        rescaled = (pixels.astype(np.float64) * (1 / 255)).astype(np.float32)
        for name, mean, std in (('clip', [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]),
                                ('siglip', [0.5, 0.5, 0.5], [0.5, 0.5, 0.5])):
            normalized = (rescaled - np.array(mean, dtype=np.float32)) / np.array(std, dtype=np.float32)
            out[f'pixels_{name}'] = np.ascontiguousarray(normalized.transpose(2, 0, 1)).astype(np.float32)

    write_safetensors(request['output'], out, {'producer': 'test/reference/io/media_reference.py'})
    print(json.dumps(summary))


if __name__ == '__main__':
    main()
