"""Knowledge gaps: citizens' questions the assistant could not answer, or answered unsure, grouped by similarity.

The engine keeps the matcher's decision on every citizen message (meta: action, label, confidence). A question is a
gap when the assistant missed it, had to ask which service was meant, or answered with low confidence. Similar
questions are grouped (TF-IDF over character uni- and bigrams, weighted by how common each is in the guides' own
questions, then average-linkage clustering on cosine distance), so a supervisor sees "12 people asked about X" once,
not twelve times.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from assistant.staff_text import for_staff
from assistant.store.models import Message
from knowledge.loader import KnowledgeBase
from knowledge.normalize import normalize

MISSED = ("not_understood", "out_of_scope", "offer_person", "need_topic", "clarify")
LOW_CONFIDENCE = 0.5  # an answer given below this is worth a supervisor's look
GROUP_DISTANCE = 0.85  # cosine distance under which two questions count as the same question
MAX_QUESTIONS = 2000  # the newest; older ones have been seen by then


@dataclass(frozen=True)
class GapQuestion:
    message_id: int
    text: str  # ID and phone numbers masked
    action: str
    label: str | None  # the matcher's best guess
    confidence: float | None
    at: dt.datetime


@dataclass(frozen=True)
class GapGroup:
    questions: list[GapQuestion]  # newest first

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def wordings(self) -> list[tuple[str, int]]:
        """Each distinct wording with how often it was asked, most often first."""
        return Counter(q.text for q in self.questions).most_common()

    @property
    def suggested_label(self) -> str | None:
        """What the matcher guessed most often: often the guide a supervisor will attach these to."""
        labels = Counter(q.label for q in self.questions if q.label)
        return labels.most_common(1)[0][0] if labels else None

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "question": self.wordings[0][0],
                "wordings": [{"text": text, "count": n} for text, n in self.wordings],
                "suggested_label": self.suggested_label, "last_seen": self.questions[0].at.isoformat(),
                "message_ids": [q.message_id for q in self.questions],
                "actions": dict(Counter(q.action for q in self.questions))}


_background: dict[str, tuple[str, ...]] = {}


def background_of(kb: KnowledgeBase) -> tuple[str, ...]:
    """The guides' questions, normalised once per knowledge base (the last one is kept)."""
    if kb.fingerprint not in _background:
        texts = tuple(normalize(text) for text in kb.training_pairs()[0])
        _background.clear()
        _background[kb.fingerprint] = texts
    return _background[kb.fingerprint]


def is_gap(meta: dict[str, Any]) -> bool:
    """The same rule as the query below, for one message's meta."""
    action, confidence = meta.get("action"), meta.get("confidence")
    return action in MISSED or (action == "answer" and confidence is not None and confidence < LOW_CONFIDENCE)


def unanswered(session: Session, *, since: dt.datetime, handled: set[int] | None = None,
               limit: int = MAX_QUESTIONS) -> list[GapQuestion]:
    """Gap questions asked since then, newest first, without those already handled (attached to a guide)."""
    action = Message.meta["action"].as_string()
    low = and_(action == "answer", Message.meta["confidence"].as_float() < LOW_CONFIDENCE)
    # The columns it shows, not whole rows: two thousand ORM objects cost more than the query (on the index
    # messages(role, created_at), or walking the newest ids, as the database judges).
    query = (select(Message.id, Message.text, Message.meta, Message.created_at)
             .where(Message.role == "citizen", Message.created_at >= since, or_(action.in_(MISSED), low))
             .order_by(Message.id.desc()).limit(limit))
    handled = handled or set()
    masked: dict[str, str] = {}  # the same wording comes back many times: masked once
    return [GapQuestion(m.id, masked.get(m.text) or masked.setdefault(m.text, for_staff(m.text)), m.meta["action"],
                        m.meta.get("label"), m.meta.get("confidence"), m.created_at)
            for m in session.execute(query) if m.id not in handled and m.text.strip()]


def group(questions: list[GapQuestion], *, background: Sequence[str] = (),
          distance: float = GROUP_DISTANCE) -> list[GapGroup]:
    """Similar questions together; the groups asked most often first, then the most recent.
    background: normalised texts (the guides' questions) that teach which characters are too common to matter."""
    normalised = {text: normalize(text) or text for text in {q.text for q in questions}}  # each wording once
    keys = [normalised[q.text] for q in questions]
    distinct = list(dict.fromkeys(keys))
    cluster_of = dict(zip(distinct, _clusters(distinct, background, distance), strict=True))
    members: dict[int, list[GapQuestion]] = {}
    for key, question in zip(keys, questions, strict=True):
        members.setdefault(cluster_of[key], []).append(question)
    groups = [GapGroup(qs) for qs in members.values()]
    return sorted(groups, key=lambda g: (-g.count, -g.questions[0].at.timestamp()))


def _clusters(texts: list[str], background: Sequence[str], distance: float) -> list[int]:
    if len(texts) < 2:
        return [0] * len(texts)
    # Imported when a supervisor opens the gaps page: a worker answering citizens never pays ~90 MB for them.
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics.pairwise import cosine_distances

    clustering = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                         distance_threshold=distance)
    return [int(c) for c in clustering.fit_predict(cosine_distances(_tfidf(texts, background)))]


_background_df: dict[tuple[str, ...], tuple[int, Counter[str]]] = {}


def _tfidf(texts: list[str], background: Sequence[str]) -> Any:
    """The texts' rows of TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True) fitted on
    [*background, *texts], without counting the background's n-grams at every call: their document frequencies
    are counted once per background (the guides' few thousand questions took most of a request's time)."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize as l2_normalize

    vectorizer = CountVectorizer(analyzer="char", ngram_range=(1, 2))
    counts = vectorizer.fit_transform(texts).astype(np.float64)
    key = tuple(background)
    if key not in _background_df:
        analyse = vectorizer.build_analyzer()
        _background_df.clear()
        _background_df[key] = (len(key), Counter(gram for text in key for gram in set(analyse(text))))
    n_background, background_df = _background_df[key]
    grams = vectorizer.get_feature_names_out()
    df = np.bincount(counts.indices, minlength=len(grams)) + np.array([background_df[g] for g in grams])
    idf = np.log((1 + n_background + len(texts)) / (1 + df)) + 1  # smooth_idf, as TfidfVectorizer
    counts.data = np.log(counts.data) + 1  # sublinear tf
    return l2_normalize(counts.multiply(idf).tocsr())
