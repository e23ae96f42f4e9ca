# An independent numpy forward pass of all-MiniLM-L6-v2 (BERT, then sentence-transformers'
# mean pooling and normalisation), written from the model's published architecture, to check
# durand's candle run against: it prints the cosine of a few sentence pairs, which
# src/embed.rs's test expects (the first is the model card's 0.755).
#
#   python3 -m venv /tmp/ref && /tmp/ref/bin/pip install numpy safetensors tokenizers
#   /tmp/ref/bin/python scripts/embed_reference.py models/all-MiniLM-L6-v2
import json, sys, numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer
d = sys.argv[1]
W = load_file(d + "/model.safetensors")
tok = Tokenizer.from_file(d + "/tokenizer.json")
tok.enable_truncation(256); tok.no_padding()
pre = "" if "embeddings.word_embeddings.weight" in W else "bert."
def g(n): return W[pre + n].astype(np.float64)
def ln(x, w, b, eps=1e-12):
    m = x.mean(-1, keepdims=True); v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * w + b
from math import erf, sqrt
verf = np.vectorize(erf)
def gelu(x): return 0.5 * x * (1 + verf(x / sqrt(2)))
def embed(text):
    ids = np.array(tok.encode(text).ids)
    n = len(ids)
    x = g("embeddings.word_embeddings.weight")[ids] + g("embeddings.position_embeddings.weight")[:n] + g("embeddings.token_type_embeddings.weight")[0]
    x = ln(x, g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"))
    for l in range(6):
        p = f"encoder.layer.{l}."
        q = x @ g(p+"attention.self.query.weight").T + g(p+"attention.self.query.bias")
        k = x @ g(p+"attention.self.key.weight").T + g(p+"attention.self.key.bias")
        v = x @ g(p+"attention.self.value.weight").T + g(p+"attention.self.value.bias")
        h = 12; dh = 32
        q = q.reshape(n, h, dh).transpose(1, 0, 2); k = k.reshape(n, h, dh).transpose(1, 0, 2); v = v.reshape(n, h, dh).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / np.sqrt(dh)
        s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(1, 0, 2).reshape(n, 384)
        a = a @ g(p+"attention.output.dense.weight").T + g(p+"attention.output.dense.bias")
        x = ln(a + x, g(p+"attention.output.LayerNorm.weight"), g(p+"attention.output.LayerNorm.bias"))
        i = gelu(x @ g(p+"intermediate.dense.weight").T + g(p+"intermediate.dense.bias"))
        o = i @ g(p+"output.dense.weight").T + g(p+"output.dense.bias")
        x = ln(o + x, g(p+"output.LayerNorm.weight"), g(p+"output.LayerNorm.bias"))
    m = x.mean(0)
    return m / np.linalg.norm(m)
pairs = [("A man is eating food.", "A man is eating a piece of bread."),
         ("A man is eating food.", "A man is riding a horse."),
         ("Militants killed two soldiers in North Waziristan.", "Insurgents slew two troops near the Afghan border."),
         ("The weather is lovely today.", "Suicide bomber strikes police mosque in Peshawar.")]
for a, b in pairs:
    print(f"{float(embed(a) @ embed(b)):.4f}\t{a}\t{b}")
