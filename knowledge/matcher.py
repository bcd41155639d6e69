"""The question matcher: train, cache on disk, load, and decide."""

from __future__ import annotations

import hashlib
import logging
import pickle
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from knowledge.calibration import VectorizedSigmoidCalibration
from knowledge.decision import Decision, Scored, Thresholds, decide
from knowledge.features import FEATURE_KINDS, Analyzer, Doc, make_vectorizer
from knowledge.label_by_label import fit_label_by_label
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.normalize import SYNONYMS_FILE, Normalizer
from knowledge.rules import RULES_FILE, Rules
from knowledge.scoring import LinearScorer, View, views_of
from knowledge.syllables import SyllableTable

if TYPE_CHECKING:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import FeatureUnion

log = logging.getLogger(__name__)

MODEL_VERSION = "6"  # bump when features or the classifier change, so old caches are not reused

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class MatcherConfig:
    features: tuple[str, ...] = FEATURE_KINDS
    normalise: bool = True
    c: float = 0.5
    min_df: int = 1
    thresholds: Thresholds = field(default_factory=Thresholds)

    def key(self) -> str:
        return f"{'+'.join(self.features)}-n{int(self.normalise)}-c{self.c}-df{self.min_df}"


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


class Matcher:
    def __init__(self, kb: KnowledgeBase, model: Model, config: MatcherConfig, analyzer: Analyzer):
        self.kb = kb
        self.model = model
        self.config = config
        self.analyzer = analyzer
        self.rules = Rules.load()
        self.labels: list[str] = [str(c) for c in model.classifier.classes_]
        self.scorer = LinearScorer(model.views, model.classifier)

    @staticmethod
    def make_analyzer(kb: KnowledgeBase, config: MatcherConfig, syllables: SyllableTable | None = None,
                      cache_dir: Path | None = None) -> Analyzer:
        words = [w for g in kb.guides.values() for w in (*g.keywords, g.title)]
        normalizer = Normalizer() if config.normalise else None
        if normalizer:
            words.extend(set(normalizer.synonyms.values()))
        return Analyzer(words, normalizer=normalizer, syllables=syllables, cache_dir=cache_dir)

    @classmethod
    def train(
        cls,
        kb: KnowledgeBase,
        config: MatcherConfig | None = None,
        *,
        texts: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        progress: Progress = _no_progress,
        cache_dir: Path | None = None,
    ) -> Matcher:
        """Fit on the knowledge base's questions (or on the given texts and labels, for cross-validation)."""
        config = config or MatcherConfig()
        if texts is None or labels is None:
            texts, labels = kb.training_pairs()
        analyzer = cls.make_analyzer(kb, config, cache_dir=cache_dir)
        docs = []
        for i, text in enumerate(texts, 1):
            docs.append(analyzer(text))
            if i % 100 == 0 or i == len(texts):
                progress("analysing questions", i, len(texts))
        progress("fitting the classifier", 0, 1)
        model = fit_model(config, docs, list(labels), analyzer.syllables, progress)
        progress("fitting the classifier", 1, 1)
        return cls(kb, model, config, analyzer)

    def rank(self, doc: Doc) -> tuple[Scored, ...]:
        probs = self.scorer.predict_proba(doc)
        order = np.argsort(-probs, kind="stable")
        pairs = zip(map(self.labels.__getitem__, order.tolist()), np.round(probs[order], 4).tolist(), strict=True)
        # tuple.__new__ makes each Scored in C: a generator calling Scored(...) cost a tenth of all the matching.
        return tuple(map(tuple.__new__, repeat(Scored), pairs))

    def decide(self, text: str) -> Decision:
        doc = self.analyzer(text[:2000])  # the opening of a very long message says what it is about
        ranking = self.rank(doc) if doc.text else tuple(Scored(label, 0.0) for label in self.labels)
        return decide(doc.text, ranking, self.rules, self.config.thresholds)

    def with_thresholds(self, thresholds: Thresholds) -> Matcher:
        return Matcher(self.kb, self.model, replace(self.config, thresholds=thresholds), self.analyzer)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A unique temporary name: two processes training at once must not write into the same file.
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as tmp:
            try:
                pickle.dump(self.model, tmp, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # a full disk: leave no half-written file behind
                tmp.close()
                Path(tmp.name).unlink(missing_ok=True)
                raise
        Path(tmp.name).replace(path)  # atomic: a reader never sees half a model

    @classmethod
    def load(cls, path: Path, kb: KnowledgeBase, config: MatcherConfig) -> Matcher:
        """The config must be the one the cache key was made from; its thresholds may differ (they are not fitted)."""
        with path.open("rb") as file:  # our own file, written by save() into the model folder
            model: Model = pickle.load(file)
        return cls(kb, model, config, cls.make_analyzer(kb, config, model.syllables, path.parent))


@dataclass(frozen=True)
class Model:
    """What is fitted and cached: plain tables and arrays, which load and score without scikit-learn."""

    views: tuple[View, ...]
    classifier: VectorizedSigmoidCalibration
    syllables: SyllableTable


# Up to this many training questions every label is fitted against every question (exact one-vs-rest, a few
# hundred services); beyond it label by label against the questions it could be mistaken for (a thousand).
EXACT_UP_TO = 8000


def fit_model(config: MatcherConfig, docs: list[Doc], labels: list[str], syllables: SyllableTable,
              progress: Progress = _no_progress) -> Model:
    if len(docs) <= EXACT_UP_TO:
        features, calibrated = fit_scikit_learn(config, docs, labels)
        return Model(views_of(features), VectorizedSigmoidCalibration(calibrated), syllables)
    union = feature_union(config)
    classifier = fit_label_by_label(union.fit_transform(docs), labels, config.c,
                                    progress=lambda done, total: progress("fitting the classifier", done, total))
    return Model(views_of(union), classifier, syllables)


def feature_union(config: MatcherConfig) -> FeatureUnion:
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([(kind, make_vectorizer(kind, config.min_df)) for kind in config.features])


def fit_scikit_learn(config: MatcherConfig, docs: list[Doc],
                     labels: list[str]) -> tuple[FeatureUnion, CalibratedClassifierCV]:
    """The TF-IDF views and the calibrated linear SVM, as scikit-learn fits them (imported here: only training
    needs it)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    features = feature_union(config)
    svm = LinearSVC(C=config.c, class_weight="balanced")
    calibrated = CalibratedClassifierCV(svm, method="sigmoid", cv=3).fit(features.fit_transform(docs), labels)
    return features, calibrated


def cache_key(kb: KnowledgeBase, config: MatcherConfig) -> str:
    digest = hashlib.sha256()
    for part in (kb.fingerprint, config.key(), MODEL_VERSION, version("scikit-learn"), version("pypinyin")):
        digest.update(part.encode())
    for path in (SYNONYMS_FILE, RULES_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(model_dir: Path, kb: KnowledgeBase, config: MatcherConfig) -> Path:
    """Where the model of exactly these knowledge files is cached."""
    return model_dir / f"matcher-{cache_key(kb, config)}.pickle"


def ensure_trained(model_dir: Path, kb: KnowledgeBase, config: MatcherConfig | None = None, *,
                   progress: Progress = _no_progress) -> Path:
    """The cached model's file for these knowledge files, trained first if there is none; not loaded."""
    path = model_path(model_dir, kb, config or MatcherConfig())
    if not path.exists():
        load_or_train(model_dir, kb, config, progress=progress)
    return path


def load_or_train(
    model_dir: Path,
    kb: KnowledgeBase | None = None,
    config: MatcherConfig | None = None,
    *,
    progress: Progress = _no_progress,
    force: bool = False,
) -> Matcher:
    """The cached model for exactly these knowledge files, or a newly trained one saved for next time."""
    kb = kb or load_knowledge()
    config = config or MatcherConfig()
    path = model_path(model_dir, kb, config)
    cached = None if force else _cached(path, kb, config)
    if cached is not None:
        return cached
    writable = _writable(model_dir)
    matcher = Matcher.train(kb, config, progress=progress, cache_dir=model_dir if writable else None)
    if writable and _saved(matcher, path):
        for old in [*model_dir.glob("matcher-*.pickle"), *model_dir.glob("matcher-*.joblib")]:
            if old != path:
                old.unlink(missing_ok=True)
    return matcher


def _cached(path: Path, kb: KnowledgeBase, config: MatcherConfig) -> Matcher | None:
    """The cached model, or None when there is none or it cannot be read (then it is trained again)."""
    if not path.exists():
        return None
    try:
        matcher = Matcher.load(path, kb, config)
    except Exception as exc:  # a cache is only a shortcut: whatever broke it (truncated, empty, foreign), rebuild it
        log.warning("the cached model %s cannot be read (%s: %s); training it again", path, type(exc).__name__, exc)
        return None
    if not isinstance(matcher.model, Model):
        log.warning("the cached model %s is not a model of this version; training it again", path)
        return None
    return matcher


def _writable(model_dir: Path) -> bool:
    try:
        model_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("the model folder %s cannot be created (%s); the model is kept in memory only and trained "
                    "again at every start: set MODEL_DIR to a writable folder", model_dir, exc)
        return False
    return True


def _saved(matcher: Matcher, path: Path) -> bool:
    try:
        matcher.save(path)
    except OSError as exc:
        log.warning("the model cannot be saved in %s (%s); it is kept in memory only and trained again at every "
                    "start: set MODEL_DIR to a writable folder", path.parent, exc)
        return False
    return True
