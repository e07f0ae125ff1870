"""Whole-model reference for mimo's generated code, in PyTorch.

Usage: model_reference.py DIR, with the manifest protocol of test/reference/torch_reference.py
(whose layer functions this composes, and whose main() it reuses): one op, `mimo_model`, runs a
checked model's forward — each sense's encoder and projector, the zipper on pre-expanded
placeholder ids, the decoder and its head — from Hugging Face-named weights.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import torch_reference as R  # noqa: E402


def under(t, prefix):
    """The tensors whose names start with `prefix`, with the prefix removed."""
    return {k[len(prefix):]: v for k, v in t.items() if k.startswith(prefix)}


def projector(t, prefix, p):
    h = t["x"]
    depth = p["depth"] if p["kind"] == "mlp" else 1  # affine: one linear, `linear_1`
    for i in range(depth):
        h = F.linear(h, t[f"{prefix}linear_{i + 1}.weight"], t.get(f"{prefix}linear_{i + 1}.bias"))
        if i < depth - 1:
            h = R.act(h, p["activation"])
    return h


def vit(t, sense):
    e = sense["encoder"]
    pre = sense["name"] + "_tower.vision_model."
    pixels = t[sense["name"] + "_media"]
    video = pixels.dim() == 5
    b = pixels.shape[0]
    frames = pixels.shape[1] if video else 1
    if video:
        pixels = pixels.reshape(b * frames, *pixels.shape[2:])
    emb = under(t, pre + "embeddings.")
    emb["pixels"] = pixels
    x = R.clip_embeddings(emb, {})["hidden"]
    if e["preNorm"]:
        x = R.ln(t, pre + "pre_layrnorm", e["normEps"])(x)
    for i in range(e["layersUsed"]):
        layer = under(t, f"{pre}encoder.layers.{i}.")
        layer["x"] = x
        x = R.vit_layer(layer, {"eps": e["normEps"], "heads": e["heads"], "activation": e["activation"]})["hidden"]
    if e["classToken"] and e["dropClassToken"]:
        x = x[:, 1:]
    if e["poolStride"] > 1:
        n, count, d = x.shape
        g = int(round(count ** 0.5))
        grid = x.transpose(1, 2).reshape(n, d, g, g)
        x = F.avg_pool2d(grid, e["poolStride"], e["poolStride"]).flatten(2).transpose(1, 2)
    return x.reshape(b, -1, x.shape[-1])


def whisper(t, sense):
    e = sense["encoder"]
    pre = sense["name"] + "_tower."
    front = under(t, pre)
    front["features"] = t[sense["name"] + "_media"]
    x = R.whisper_front(front, {})["hidden"]
    for i in range(e["layers"]):
        layer = under(t, f"{pre}layers.{i}.")
        layer["x"] = x
        x = R.whisper_layer(layer, {"eps": e["normEps"], "heads": e["heads"]})["hidden"]
    return R.ln(t, pre + "layer_norm", e["normEps"])(x)


def beats(t, sense):
    e = sense["encoder"]
    pre = sense["name"] + "_tower."
    front = under(t, pre)
    front["fbank"] = t[sense["name"] + "_media"]
    x = R.beats_front(front, {"patch": e["patch"], "eps": e["normEps"], "conv_pos": e["convPosKernel"], "conv_pos_groups": e["convPosGroups"]})["hidden"]
    table = t[pre + "encoder.layers.0.self_attn.relative_attention_bias.weight"]
    for i in range(e["layers"]):
        layer = under(t, f"{pre}encoder.layers.{i}.")
        layer["x"] = x
        layer["relative_attention_bias.weight"] = table
        x = R.beats_layer(layer, {"heads": e["heads"], "eps": e["normEps"], "layers": e["layers"], "deep_norm": True,
                                  "buckets": e["relPosBuckets"], "max_distance": e["maxDistance"]})["hidden"]
    return x


ENCODERS = {"clip_vit": vit, "siglip_vit": vit, "whisper": whisper, "beats": beats}


def mimo_model(t, p):
    d = p["decoder"]
    ids = t["input_ids"].long()
    b, n = ids.shape
    outputs = {}
    gpt2 = d["family"] == "gpt2"
    table = t["language_model.transformer.wte.weight" if gpt2 else "language_model.model.embed_tokens.weight"]
    x = table[ids]
    for sense in p["senses"]:
        features = ENCODERS[sense["encoder"]["family"]](t, sense)
        embeds = projector({"x": features, **t}, sense["name"] + "_projector.", sense["projector"])
        outputs[sense["name"]] = embeds
        for row in range(b):
            where = (ids[row] == sense["tokenId"]).nonzero().flatten()
            assert where.numel() == embeds.shape[1], (sense["name"], where.numel(), embeds.shape)
            x[row, where] = embeds[row]
    positions = torch.arange(n)[None].expand(b, n)
    if gpt2:
        x = x + t["language_model.transformer.wpe.weight"][positions]
        for i in range(d["layers"]):
            layer = under(t, f"language_model.transformer.h.{i}.")
            layer["x"] = x
            x = R.gpt2_block(layer, {"eps": d["norm"]["eps"], "heads": d["heads"], "activation": d["activation"]})["hidden"]
        x = R.ln(t, "language_model.transformer.ln_f", d["norm"]["eps"])(x)
    else:
        for i in range(d["layers"]):
            layer = under(t, f"language_model.model.layers.{i}.")
            layer["x"] = x
            layer["position_ids"] = positions
            x = R.llama_block(layer, {"heads": d["heads"], "kv_heads": d["kvHeads"], "head_dim": d["headDim"], "eps": d["norm"]["eps"],
                                      "theta": d["position"]["theta"]})["hidden"]
        x = R.rms_norm(x, t["language_model.model.norm.weight"], d["norm"]["eps"])
    head = table if d["tiedEmbeddings"] else t["language_model.lm_head.weight"]
    outputs["logits"] = F.linear(x, head)
    return outputs


R.OPS["mimo_model"] = mimo_model

if __name__ == "__main__":
    R.main()
