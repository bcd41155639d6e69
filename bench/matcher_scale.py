"""The matcher as the catalogue grows: training time, training's peak memory, the model file and decide's latency for
64, 256 and 1,024 guides.

    python -m bench.matcher_scale                  # 64 256 1024
    python -m bench.matcher_scale --guides 64 256

The synthetic catalogues are the 64 real guides, each copied into variants that differ by the place or the group
of people they are for (朝阳区 / 海淀区 / ..., 退休职工 / 残疾人 / ...): every variant's questions are the guide's
own with its place or group in them, so neighbouring labels are as alike as real services get. The three special
labels (out_of_scope, human, emergency) stay as they are. Each size runs in a process of its own, so its peak
memory (ru_maxrss) is its own. decide: 500 questions of the catalogue asked in other words (a place in front,
filler words behind), one at a time.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import resource
import subprocess
import sys
import time

import numpy as np

from knowledge import matcher as matcher_module
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher

PLACES = ("朝阳区", "海淀区", "东城区", "西城区", "丰台区", "石景山", "通州区", "顺义区")
GROUPS = ("", "退休职工", "残疾人", "外地户口")
FILLERS = ("", "请问", "麻烦问一下，", "我想知道")
ENDINGS = ("", "？", "，谢谢", "啊")


def catalogue(kb: KnowledgeBase, guides: int) -> tuple[list[str], list[str]]:
    """Training questions and labels for `guides` services (a multiple of the real ones, or fewer of them)."""
    texts, labels = [], []
    real = list(kb.guides.values())
    variants = [(place, group) for group in GROUPS for place in PLACES]
    for n in range(guides):
        guide = real[n % len(real)]
        copy = n // len(real)
        place, group = variants[copy % len(variants)] if guides > len(real) else ("", "")
        label = guide.id if guides <= len(real) else f"{guide.id}~{copy}"
        for question in (guide.title, *guide.questions):
            texts.append(f"{place}{group}{question}")
            labels.append(label)
    for special in kb.special.values():
        texts.extend(special.questions)
        labels.extend([special.label] * len(special.questions))
    return texts, labels


def one_size(guides: int) -> dict[str, float]:
    kb = load_knowledge()
    texts, labels = catalogue(kb, guides)
    started = time.perf_counter()
    matcher = Matcher.train(kb, texts=texts, labels=labels)
    train = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    model = len(pickle.dumps(matcher.model, protocol=pickle.HIGHEST_PROTOCOL)) / 1e6
    rng = random.Random(1)
    picked = rng.sample(range(len(texts)), 500)
    asked = [f"{rng.choice(FILLERS)}{texts[i]}{rng.choice(ENDINGS)}" for i in picked]
    for text in asked[:20]:
        matcher.decide(text)  # warm
    latencies = []
    for text in asked:
        t = time.perf_counter()
        matcher.decide(text)
        latencies.append((time.perf_counter() - t) * 1000)
    top = [matcher.rank(matcher.analyzer(text))[0][0] for text in asked]
    right = sum(label == labels[i] for label, i in zip(top, picked, strict=True)) / len(picked)
    return {"guides": guides, "questions": len(texts), "train_s": train, "peak_mb": peak, "model_mb": model,
            "p50_ms": float(np.percentile(latencies, 50)), "p99_ms": float(np.percentile(latencies, 99)),
            "top1": right, "fit": "exact" if len(texts) <= matcher_module.EXACT_UP_TO else "label by label"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guides", type=int, nargs="+", default=[64, 256, 1024])
    parser.add_argument("--exact-up-to", type=int, default=matcher_module.EXACT_UP_TO,
                        help="training questions up to which every label is fitted against every question")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child: one size, JSON out
    args = parser.parse_args()
    if args.one:
        matcher_module.EXACT_UP_TO = args.exact_up_to
        print(json.dumps(one_size(args.one)))
        return
    print(f"{'guides':>7} {'questions':>9} {'fit':>15} {'train s':>8} {'peak MB':>8} {'model MB':>9} "
          f"{'decide p50':>11} {'p99 ms':>7} {'top-1':>6}", flush=True)
    for guides in args.guides:
        run = subprocess.run([sys.executable, __file__, "--one", str(guides), "--exact-up-to", str(args.exact_up_to)],
                             capture_output=True, text=True, check=True)
        r = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"{r['guides']:>7} {r['questions']:>9} {r['fit']:>15} {r['train_s']:>8.1f} {r['peak_mb']:>8.0f} "
              f"{r['model_mb']:>9.1f} {r['p50_ms']:>11.2f} {r['p99_ms']:>7.2f} {r['top1']:>6.1%}", flush=True)


if __name__ == "__main__":
    main()
