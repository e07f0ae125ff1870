"""Exports ONE LLaMA-style decoder layer to ONNX (opset 17, standard ops only) for the kernel-count
comparison with ONNX Runtime's optimizer (see README.md in this folder).

The layer is written here from the Hugging Face LlamaDecoderLayer definition: RMSNorm, q/k/v
projections without bias, rotate-half rotary embedding computed from position ids, grouped-query
attention (k/v repeated per group), additive causal mask, softmax, output projection, residual,
RMSNorm, SwiGLU MLP, residual. Sizes are the peer baseline's (/work/shared/reference/baselines.md):
hidden 256, 8 heads x 32, 4 kv heads here (GQA), ffn 688, 64 tokens.

Usage: python3 export_llama_layer.py OUT.onnx
"""
import sys

import torch
from torch import nn

HIDDEN, HEADS, KV_HEADS, FFN, SEQ, THETA, EPS = 256, 8, 4, 688, 64, 10000.0, 1e-5
HEAD_DIM = HIDDEN // HEADS


class RmsNorm(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + EPS))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_layernorm = RmsNorm(HIDDEN)
        self.q_proj = nn.Linear(HIDDEN, HEADS * HEAD_DIM, bias=False)
        self.k_proj = nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.v_proj = nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.o_proj = nn.Linear(HEADS * HEAD_DIM, HIDDEN, bias=False)
        self.post_attention_layernorm = RmsNorm(HIDDEN)
        self.gate_proj = nn.Linear(HIDDEN, FFN, bias=False)
        self.up_proj = nn.Linear(HIDDEN, FFN, bias=False)
        self.down_proj = nn.Linear(FFN, HIDDEN, bias=False)
        inv_freq = 1.0 / (THETA ** (torch.arange(0, HEAD_DIM, 2).float() / HEAD_DIM))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, hidden_states, position_ids, mask):
        b, s, _ = hidden_states.shape
        residual = hidden_states
        h = self.input_layernorm(hidden_states)
        q = self.q_proj(h).view(b, s, HEADS, HEAD_DIM).transpose(1, 2)
        k = self.k_proj(h).view(b, s, KV_HEADS, HEAD_DIM).transpose(1, 2)
        v = self.v_proj(h).view(b, s, KV_HEADS, HEAD_DIM).transpose(1, 2)
        freqs = position_ids[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        group = HEADS // KV_HEADS
        k = k[:, :, None].expand(b, KV_HEADS, group, s, HEAD_DIM).reshape(b, HEADS, s, HEAD_DIM)
        v = v[:, :, None].expand(b, KV_HEADS, group, s, HEAD_DIM).reshape(b, HEADS, s, HEAD_DIM)
        scores = torch.matmul(q, k.transpose(2, 3)) / (HEAD_DIM ** 0.5) + mask
        probs = torch.softmax(scores, dim=-1)
        context = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, HIDDEN)
        hidden_states = residual + self.o_proj(context)
        residual = hidden_states
        h = self.post_attention_layernorm(hidden_states)
        mlp = self.down_proj(nn.functional.silu(self.gate_proj(h)) * self.up_proj(h))
        return residual + mlp


def main():
    out = sys.argv[1]
    torch.manual_seed(0)
    layer = Layer().eval()
    x = torch.randn(1, SEQ, HIDDEN)
    positions = torch.arange(SEQ)[None]
    mask = torch.triu(torch.full((SEQ, SEQ), -1e9), diagonal=1)[None, None]
    torch.onnx.export(
        layer,
        (x, positions, mask),
        out,
        opset_version=17,
        input_names=["hidden_states", "position_ids", "mask"],
        output_names=["out"],
        do_constant_folding=True,
    )
    print(out)


if __name__ == "__main__":
    main()
