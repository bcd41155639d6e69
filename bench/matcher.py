"""Matcher benchmark: k-fold cross-validation on the guides' own questions, the score on the public sample,
two peers on the same data (BM25 over the guides, word TF-IDF + logistic regression) and an ablation table.

    python -m bench.matcher [--folds 5] [--dev ../shared/eval/dev.jsonl] [--quick]

The sample is only read to score; nothing is fitted or tuned on it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from knowledge.decision import SPECIAL_LABELS, Decision, Scored
from knowledge.evaluate import Example, Outcome, read_examples, run, summarise
from knowledge.features import Analyzer
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher, MatcherConfig

DEFAULT_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
Decider = Callable[[str], Decision]
Trainer = Callable[[KnowledgeBase, Sequence[str], Sequence[str]], Decider]


def ours(config: MatcherConfig) -> Trainer:
    def train(kb: KnowledgeBase, texts: Sequence[str], labels: Sequence[str]) -> Decider:
        return Matcher.train(kb, config, texts=texts, labels=labels).decide

    return train


def _argmax_decision(labels: Sequence[str], scores: np.ndarray) -> Decision:
    """Peers have no decision rule of their own: they act on their best label."""
    order = np.argsort(-scores)
    ranking = tuple(Scored(labels[i], float(scores[i])) for i in order)
    best = ranking[0].id
    action = best if best in SPECIAL_LABELS else "answer"
    return Decision(best, action, ranking[0].score, ranking, "peer")  # type: ignore[arg-type]


def bm25_peer(kb: KnowledgeBase, texts: Sequence[str], labels: Sequence[str]) -> Decider:
    """BM25 over one document per label: the guide's text plus its training questions (jieba words)."""
    analyzer = Analyzer([], normalizer=None)
    by_label: dict[str, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    names = sorted(by_label)
    docs = []
    for label in names:
        guide = kb.guides.get(label)
        body = [guide.title, guide.short_answer, *guide.steps, *guide.materials] if guide else []
        docs.append(list(analyzer(" ".join(body + by_label[label])).words))
    index = BM25Okapi(docs)
    return lambda text: _argmax_decision(names, index.get_scores(list(analyzer(text).words)))


def tfidf_lr_peer(kb: KnowledgeBase, texts: Sequence[str], labels: Sequence[str]) -> Decider:
    """Plain word TF-IDF (jieba words, no normalisation) and logistic regression."""
    analyzer = Analyzer([], normalizer=None)
    vectorizer = TfidfVectorizer(analyzer=lambda t: list(analyzer(t).words), sublinear_tf=True)
    model = LogisticRegression(max_iter=2000, C=10).fit(vectorizer.fit_transform(texts), labels)
    names = list(model.classes_)
    return lambda text: _argmax_decision(names, model.predict_proba(vectorizer.transform([text]))[0])


def cross_validate(kb: KnowledgeBase, trainer: Trainer, folds: int) -> dict:
    texts, labels = kb.training_pairs()
    outcomes: list[Outcome] = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
    for train_idx, test_idx in splitter.split(texts, labels):
        decide = trainer(kb, [texts[i] for i in train_idx], [labels[i] for i in train_idx])
        outcomes.extend(run([Example(texts[i], labels[i]) for i in test_idx], decide))
    return summarise(outcomes)


def on_sample(kb: KnowledgeBase, trainer: Trainer, examples: list[Example]) -> dict:
    texts, labels = kb.training_pairs()
    decide = trainer(kb, texts, labels)
    decide("预热一下")
    return summarise(run(examples, decide))


_LOAD_SNIPPET = """
import time, sys
from pathlib import Path
from knowledge.loader import load_knowledge
from knowledge.matcher import load_or_train
start = time.perf_counter()
kb = load_knowledge()
loaded = time.perf_counter()
load_or_train(Path(sys.argv[1]), kb)
print(loaded - start, time.perf_counter() - loaded)
"""


def startup(model_dir: Path, runs: int = 5) -> tuple[float, float]:
    """Median seconds, in fresh processes, to read the guides and to load the cached model (imports excluded)."""
    subprocess.run([sys.executable, "-c", _LOAD_SNIPPET, str(model_dir)], check=True, capture_output=True)
    timings = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _LOAD_SNIPPET, str(model_dir)], check=True, capture_output=True)
        timings.append([float(x) for x in out.stdout.split()])
    guides, model = np.median(np.array(timings), axis=0)
    return float(guides), float(model)


def _row(name: str, where: str, s: dict) -> str:
    pl = s["per_label"]
    cells = [
        s["top1"], s["top3"], s["accuracy"],
        pl["emergency"]["recall"], pl["emergency"]["precision"], pl["human"]["recall"],
        pl["out_of_scope"]["precision"], pl["out_of_scope"]["recall"], s["latency_ms"]["p99"],
    ]
    return f"| {name} | {where} | " + " | ".join("-" if c is None else f"{c:.3f}" for c in cells) + " |"


HEADER = (
    "| system | data | top1 | top3 | acc | emerg R | emerg P | human R | oos P | oos R | p99 ms |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--quick", action="store_true", help="ours and the peers only, no ablation")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    kb = load_knowledge()
    texts, _ = kb.training_pairs()
    print(f"{len(kb.guides)} guides, {len(texts)} training questions, {args.folds}-fold CV", flush=True)
    examples = read_examples(args.dev, kb.labels) if args.dev.exists() else []
    base = MatcherConfig()
    systems: list[tuple[str, Trainer]] = [
        ("ours", ours(base)),
        ("peer: BM25 over guides", bm25_peer),
        ("peer: word TF-IDF + LR", tfidf_lr_peer),
    ]
    if not args.quick:
        systems += [
            ("ours without pinyin", ours(replace(base, features=("char", "word")))),
            ("ours without char n-grams", ours(replace(base, features=("word", "pinyin")))),
            ("ours without normalisation", ours(replace(base, normalise=False))),
        ]
    results = {}
    print(HEADER, flush=True)
    for name, trainer in systems:
        cv = cross_validate(kb, trainer, args.folds)
        print(_row(name, f"{args.folds}-fold CV", cv), flush=True)
        results[name] = {"cv": cv}
        if examples:
            dev = on_sample(kb, trainer, examples)
            print(_row(name, "dev sample", dev), flush=True)
            results[name]["dev"] = dev
    with tempfile.TemporaryDirectory() as model_dir:
        guides_s, model_s = startup(Path(model_dir))
    print(f"\nstart-up (median of 5 fresh processes): read and validate guides {guides_s:.2f} s, "
          f"load the cached model {model_s:.2f} s", flush=True)
    results["startup_seconds"] = {"guides": guides_s, "cached_model": model_s}
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
