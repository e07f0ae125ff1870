"""Reference outputs for mimo's runtime, computed with PyTorch (Debian python3-torch 1.13).

Usage: torch_reference.py DIR. DIR/manifest.json lists cases {name, op, params, inputs}; each input
is a raw little-endian .bin file with its shape and dtype. Every op below is written from the
published architecture (Hugging Face modeling files, microsoft/unilm BEATs, openai/whisper) with
torch.nn.functional / torch.nn modules, in float32 on the CPU, independently of the TypeScript
runtime. Outputs go to DIR/out_*.bin and DIR/outputs.json.

Layout notes: hidden states are [B, T, D] (batch_first); Linear weights are HF [out, in]; GPT-2's
Conv1D weights are [in, out]; conv1d inputs arrive as [B, T, C] and are transposed here.
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_grad_enabled(False)
torch.set_num_threads(1)
MIN = torch.finfo(torch.float32).min


def load(dir_, spec):
    dtype = np.int32 if spec["dtype"] == "int32" else np.float32
    array = np.fromfile(os.path.join(dir_, spec["file"]), dtype=np.dtype(dtype).newbyteorder("<"))
    return torch.from_numpy(array.reshape(spec["shape"]).copy())


# ---- activations and small layers ---------------------------------------------------------------

def act(x, kind):
    if kind == "gelu":
        return F.gelu(x)
    if kind == "gelu_tanh":
        return F.gelu(x, approximate="tanh")
    if kind == "quick_gelu":
        return x * torch.sigmoid(1.702 * x)
    if kind == "relu":
        return F.relu(x)
    if kind == "silu":
        return F.silu(x)
    raise ValueError(kind)


def rms_norm(x, weight, eps):
    variance = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + eps))


def ln(t, prefix, eps):
    w = t[prefix + ".weight"]
    return lambda x: F.layer_norm(x, (w.shape[0],), w, t[prefix + ".bias"], eps)


def opt(t, name):
    return t.get(name)


# ---- attention through torch.nn.MultiheadAttention (GPT-2, CLIP, SigLIP, Whisper) ----------------

def mha(x, heads, q_w, q_b, k_w, k_b, v_w, v_b, o_w, o_b, causal=False, mask=None):
    d = x.shape[-1]
    m = torch.nn.MultiheadAttention(d, heads, bias=True, batch_first=True)
    m.eval()
    zeros = torch.zeros(d)
    m.in_proj_weight.copy_(torch.cat([q_w, k_w, v_w], 0))
    m.in_proj_bias.copy_(torch.cat([q_b if q_b is not None else zeros, k_b if k_b is not None else zeros, v_b if v_b is not None else zeros]))
    m.out_proj.weight.copy_(o_w)
    m.out_proj.bias.copy_(o_b if o_b is not None else zeros)
    t = x.shape[1]
    attn_mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1) if causal else None
    key_padding_mask = (mask == 0) if mask is not None else None
    out, _ = m(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False)
    return out


# ---- LLaMA (HF modeling_llama, eager attention) ---------------------------------------------------

def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_cos_sin(position_ids, head_dim, theta):
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    freqs = position_ids[:, :, None].float() * inv_freq[None, None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def eager_attention(q, k, v, heads, kv_heads, causal, mask, scale, bias=None):
    """q [B,Tq,H*dh], k/v [B,Tk,KV*dh] → [B,Tq,H*dh] with HF's finfo.min masking and repeat_kv."""
    b, tq, _ = q.shape
    tk = k.shape[1]
    dh = q.shape[-1] // heads
    q = q.view(b, tq, heads, dh).transpose(1, 2)
    k = k.view(b, tk, kv_heads, dh).transpose(1, 2).repeat_interleave(heads // kv_heads, dim=1)
    v = v.view(b, tk, kv_heads, dh).transpose(1, 2).repeat_interleave(heads // kv_heads, dim=1)
    scores = torch.matmul(q, k.transpose(2, 3)) * scale
    allowed = torch.ones(b, 1, tq, tk, dtype=torch.bool)
    if causal:
        allowed = allowed & torch.ones(tq, tk, dtype=torch.bool).tril(tk - tq)[None, None]
    if mask is not None:
        allowed = allowed & (mask != 0)[:, None, None, :]
    scores = scores + torch.zeros_like(scores).masked_fill(~allowed, MIN)
    if bias is not None:
        scores = scores + bias
    probs = torch.softmax(scores, dim=-1)
    return torch.matmul(probs, v).transpose(1, 2).reshape(b, tq, heads * dh)


def llama_block(t, p):
    x = t["x"]
    heads, kv, dh, eps = p["heads"], p["kv_heads"], p["head_dim"], p["eps"]
    cos, sin = rope_cos_sin(t["position_ids"], dh, p["theta"])
    cos, sin = cos[:, :, None, :], sin[:, :, None, :]
    b, n, _ = x.shape
    h = rms_norm(x, t["input_layernorm.weight"], eps)
    q = F.linear(h, t["self_attn.q_proj.weight"]).view(b, n, heads, dh)
    k = F.linear(h, t["self_attn.k_proj.weight"]).view(b, n, kv, dh)
    v = F.linear(h, t["self_attn.v_proj.weight"])
    q = (q * cos + rotate_half(q) * sin).reshape(b, n, heads * dh)
    k = (k * cos + rotate_half(k) * sin).reshape(b, n, kv * dh)
    a = eager_attention(q, k, v, heads, kv, True, opt(t, "attention_mask"), dh ** -0.5)
    x = x + F.linear(a, t["self_attn.o_proj.weight"])
    h = rms_norm(x, t["post_attention_layernorm.weight"], eps)
    mlp = F.linear(F.silu(F.linear(h, t["mlp.gate_proj.weight"])) * F.linear(h, t["mlp.up_proj.weight"]), t["mlp.down_proj.weight"])
    hidden = x + mlp
    if p.get("zero_pad_rows"):
        # Rows of padding tokens are garbage by construction (their query sees only padding);
        # a cached pass sees fewer keys there than a full pass, so such cases compare real rows.
        hidden = hidden * (t["attention_mask"] != 0)[:, :, None].float()
    return {"hidden": hidden}


# ---- GPT-2 (HF modeling_gpt2; Conv1D weights are [in, out]) --------------------------------------

def gpt2_block(t, p):
    x, eps, heads = t["x"], p["eps"], p["heads"]
    d = x.shape[-1]
    h = ln(t, "ln_1", eps)(x)
    w, bias = t["attn.c_attn.weight"].t(), t["attn.c_attn.bias"]
    a = mha(h, heads, w[:d], bias[:d], w[d:2 * d], bias[d:2 * d], w[2 * d:], bias[2 * d:],
            t["attn.c_proj.weight"].t(), t["attn.c_proj.bias"], causal=True, mask=opt(t, "attention_mask"))
    x = x + a
    h = ln(t, "ln_2", eps)(x)
    m = act(h @ t["mlp.c_fc.weight"] + t["mlp.c_fc.bias"], p["activation"]) @ t["mlp.c_proj.weight"] + t["mlp.c_proj.bias"]
    return {"hidden": x + m}


# ---- CLIP / SigLIP (HF CLIPEncoderLayer, SiglipEncoderLayer) ----------------------------------------

def vit_layer(t, p):
    x, eps, heads = t["x"], p["eps"], p["heads"]
    s = "self_attn."
    h = ln(t, "layer_norm1", eps)(x)
    a = mha(h, heads, t[s + "q_proj.weight"], t[s + "q_proj.bias"], t[s + "k_proj.weight"], t[s + "k_proj.bias"],
            t[s + "v_proj.weight"], t[s + "v_proj.bias"], t[s + "out_proj.weight"], t[s + "out_proj.bias"],
            mask=opt(t, "attention_mask"))
    x = x + a
    h = ln(t, "layer_norm2", eps)(x)
    return {"hidden": x + F.linear(act(F.linear(h, t["mlp.fc1.weight"], t["mlp.fc1.bias"]), p["activation"]), t["mlp.fc2.weight"], t["mlp.fc2.bias"])}


def clip_embeddings(t, p):
    pixels = t["pixels"]
    w = t["patch_embedding.weight"]
    patches = F.conv2d(pixels, w, t.get("patch_embedding.bias"), stride=w.shape[-1]).flatten(2).transpose(1, 2)
    if "class_embedding" in t:
        cls = t["class_embedding"].expand(pixels.shape[0], 1, -1)
        patches = torch.cat([cls, patches], dim=1)
    return {"hidden": patches + t["position_embedding.weight"][None]}


# ---- Whisper (HF WhisperEncoderLayer, WhisperEncoder stem) ----------------------------------------------

def whisper_layer(t, p):
    x, eps, heads = t["x"], p["eps"], p["heads"]
    s = "self_attn."
    h = ln(t, "self_attn_layer_norm", eps)(x)
    a = mha(h, heads, t[s + "q_proj.weight"], t[s + "q_proj.bias"], t[s + "k_proj.weight"], None,
            t[s + "v_proj.weight"], t[s + "v_proj.bias"], t[s + "out_proj.weight"], t[s + "out_proj.bias"],
            mask=opt(t, "attention_mask"))
    x = x + a
    h = ln(t, "final_layer_norm", eps)(x)
    return {"hidden": x + F.linear(F.gelu(F.linear(h, t["fc1.weight"], t["fc1.bias"])), t["fc2.weight"], t["fc2.bias"])}


def whisper_front(t, p):
    features = t["features"]
    x = F.gelu(F.conv1d(features, t["conv1.weight"], t["conv1.bias"], padding=1))
    x = F.gelu(F.conv1d(x, t["conv2.weight"], t["conv2.bias"], stride=2, padding=1))
    x = x.permute(0, 2, 1)
    return {"hidden": x + t["embed_positions.weight"][: x.shape[1]]}


def sinusoids(t, p):
    length, channels = p["length"], p["channels"]
    increment = math.log(10000) / (channels // 2 - 1)
    inv = torch.exp(-increment * torch.arange(channels // 2, dtype=torch.float64))
    scaled = torch.arange(length, dtype=torch.float64)[:, None] * inv[None, :]
    return {"table": torch.cat([torch.sin(scaled), torch.cos(scaled)], dim=1).float()}


# ---- BEATs (microsoft/unilm beats/backbone.py, BEATs.py), written from the published code -----------

def beats_bucket(relative, num_buckets, max_distance):
    num_buckets = num_buckets // 2
    buckets = (relative > 0).to(torch.long) * num_buckets
    relative = torch.abs(relative)
    max_exact = num_buckets // 2
    is_small = relative < max_exact
    large = max_exact + (torch.log(relative.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)).to(torch.long)
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return buckets + torch.where(is_small, relative, large)


def beats_buckets(t, p):
    relative = torch.arange(-p["span"], p["span"] + 1, dtype=torch.long)
    return {"buckets": beats_bucket(relative, p["buckets"], p["max_distance"]).float()}


def beats_position_bias(table, length, p):
    ctx = torch.arange(length, dtype=torch.long)[:, None]
    mem = torch.arange(length, dtype=torch.long)[None, :]
    return table[beats_bucket(mem - ctx, p["buckets"], p["max_distance"])].permute(2, 0, 1)


def beats_layer(t, p):
    """TransformerSentenceEncoderLayer (post-LN, deep norm) with its MultiheadAttention, in the
    source's own (T, B, C) layout, including the q/32 · max-subtraction · ×32 score trick."""
    x = t["x"].transpose(0, 1)
    heads, eps = p["heads"], p["eps"]
    tgt, bsz, d = x.shape
    dh = d // heads
    scaling = dh ** -0.5
    alpha_attn = 32
    deep_alpha = math.pow(2 * p["layers"], 0.25) if p["deep_norm"] else 1.0
    s = "self_attn."
    position_bias = beats_position_bias(t["relative_attention_bias.weight"], tgt, p)
    position_bias = position_bias.unsqueeze(0).repeat(bsz, 1, 1, 1).view(bsz * heads, tgt, tgt)

    residual = x
    q = F.linear(x, t[s + "q_proj.weight"], t[s + "q_proj.bias"])
    k = F.linear(x, t[s + "k_proj.weight"], t[s + "k_proj.bias"])
    v = F.linear(x, t[s + "v_proj.weight"], t[s + "v_proj.bias"])
    q = q * scaling
    q = q * (1 / alpha_attn)
    q = q.contiguous().view(tgt, bsz * heads, dh).transpose(0, 1)
    k = k.contiguous().view(-1, bsz * heads, dh).transpose(0, 1)
    v = v.contiguous().view(-1, bsz * heads, dh).transpose(0, 1)
    w = torch.bmm(q, k.transpose(1, 2))
    w = (w - w.max(dim=-1, keepdim=True)[0]) * alpha_attn
    mask = opt(t, "attention_mask")
    if mask is not None:
        w = w.view(bsz, heads, tgt, tgt).masked_fill((mask == 0)[:, None, None, :], float("-inf")).view(bsz * heads, tgt, tgt)
    query_layer = q.view(bsz, heads, tgt, dh) * alpha_attn / scaling
    gates = torch.sigmoid(F.linear(query_layer, t[s + "grep_linear.weight"], t[s + "grep_linear.bias"]).view(bsz, heads, tgt, 2, 4).sum(-1, keepdim=False))
    gate_a, gate_b = gates.chunk(2, dim=-1)
    gate_a_1 = gate_a * (gate_b * t[s + "grep_a"] - 1.0) + 2.0
    w = w + gate_a_1.view(bsz * heads, tgt, 1) * position_bias
    probs = F.softmax(w, dim=-1)
    attn = torch.bmm(probs, v).transpose(0, 1).contiguous().view(tgt, bsz, d)
    attn = F.linear(attn, t[s + "out_proj.weight"], t[s + "out_proj.bias"])
    x = ln(t, "self_attn_layer_norm", eps)(residual * deep_alpha + attn)
    residual = x
    x = F.linear(F.gelu(F.linear(x, t["fc1.weight"], t["fc1.bias"])), t["fc2.weight"], t["fc2.bias"])
    x = ln(t, "final_layer_norm", eps)(residual * deep_alpha + x)
    return {"hidden": x.transpose(0, 1)}


def beats_front(t, p):
    """BEATs.extract_features up to the layers: patch conv, LayerNorm, post_extract_proj, then the
    encoder's weight-normed grouped pos_conv + SamePad + GELU, residual, encoder LayerNorm."""
    fbank = t["fbank"].unsqueeze(1)
    features = F.conv2d(fbank, t["patch_embedding.weight"], stride=p["patch"])
    features = features.reshape(features.shape[0], features.shape[1], -1).transpose(1, 2)
    features = ln(t, "layer_norm", p["eps"])(features)
    x = F.linear(features, t["post_extract_proj.weight"], t["post_extract_proj.bias"])
    k, groups = p["conv_pos"], p["conv_pos_groups"]
    conv = torch.nn.Conv1d(x.shape[-1], x.shape[-1], kernel_size=k, padding=k // 2, groups=groups)
    conv = torch.nn.utils.weight_norm(conv, name="weight", dim=2)
    conv.weight_g.copy_(t["encoder.pos_conv.0.weight_g"])
    conv.weight_v.copy_(t["encoder.pos_conv.0.weight_v"])
    conv.bias.copy_(t["encoder.pos_conv.0.bias"])
    x_conv = conv(x.transpose(1, 2))
    if k % 2 == 0:
        x_conv = x_conv[:, :, :-1]
    x = x + F.gelu(x_conv).transpose(1, 2)
    return {"hidden": ln(t, "encoder.layer_norm", p["eps"])(x)}


# ---- single layers --------------------------------------------------------------------------------

def layer_op(t, p):
    kind = p["layer"]
    x = t.get("x")
    if kind == "activation":
        return {"y": act(x, p["activation"])}
    if kind == "layer_norm":
        return {"y": F.layer_norm(x, (x.shape[-1],), t["weight"], t["bias"], p["eps"])}
    if kind == "rms_norm":
        return {"y": rms_norm(x, t["weight"], p["eps"])}
    if kind == "linear":
        return {"y": F.linear(x, t["weight"], t.get("bias"))}
    if kind == "conv1d":
        y = F.conv1d(x.transpose(1, 2), t["weight"], t.get("bias"), stride=p["stride"], padding=p["padding"], groups=p.get("groups", 1))
        return {"y": y.transpose(1, 2)}
    if kind == "patch_embedding":
        w = t["weight"]
        return {"y": F.conv2d(t["pixels"], w, t.get("bias"), stride=w.shape[-1]).flatten(2).transpose(1, 2)}
    if kind == "avg_pool_grid":
        b, n, d = x.shape
        grid = x.transpose(1, 2).reshape(b, d, p["height"], p["width"])
        return {"y": F.avg_pool2d(grid, p["stride"]).flatten(2).transpose(1, 2)}
    if kind == "rope":
        heads = p["heads"]
        b, n, width = x.shape
        dh = width // heads
        cos, sin = rope_cos_sin(t["position_ids"], dh, p["theta"])
        xh = x.view(b, n, heads, dh)
        return {"y": (xh * cos[:, :, None] + rotate_half(xh) * sin[:, :, None]).reshape(b, n, width)}
    if kind == "attention":
        scale = p.get("scale") or (t["q"].shape[-1] // p["heads"]) ** -0.5
        return {"y": eager_attention(t["q"], t["k"], t["v"], p["heads"], p["kv_heads"], p["causal"], t.get("attention_mask"), scale, t.get("bias"))}
    if kind == "mlp_projector":
        h = x
        depth = p["depth"]
        for i in range(depth):
            h = F.linear(h, t[f"linear_{i + 1}.weight"], t.get(f"linear_{i + 1}.bias"))
            if i < depth - 1:
                h = act(h, p["activation"])
        return {"y": h}
    raise ValueError(kind)


OPS = {
    "layer": layer_op,
    "gpt2_block": gpt2_block,
    "llama_block": llama_block,
    "vit_layer": vit_layer,
    "vit_embeddings": clip_embeddings,
    "whisper_layer": whisper_layer,
    "whisper_front": whisper_front,
    "sinusoids": sinusoids,
    "beats_buckets": beats_buckets,
    "beats_layer": beats_layer,
    "beats_front": beats_front,
}


def main():
    dir_ = sys.argv[1]
    with open(os.path.join(dir_, "manifest.json")) as f:
        manifest = json.load(f)
    results = []
    index = 0
    for case in manifest["cases"]:
        tensors = {k: load(dir_, spec) for k, spec in case["inputs"].items()}
        outputs = OPS[case["op"]](tensors, case["params"])
        written = {}
        for key, value in outputs.items():
            array = value.detach().to(torch.float32).contiguous().numpy().astype("<f4")
            file = f"out_{index}.bin"
            index += 1
            array.tofile(os.path.join(dir_, file))
            written[key] = {"file": file, "shape": list(array.shape)}
        results.append({"name": case["name"], "outputs": written})
    with open(os.path.join(dir_, "outputs.json"), "w") as f:
        json.dump({"cases": results}, f)


if __name__ == "__main__":
    main()
