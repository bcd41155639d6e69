"""`POST /api/ask`: one question answered without a conversation, for other public systems."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import PublicRateLimit, RuntimeDep
from api.schemas import AskIn, AskOut, ScoredOut
from assistant import safety, texts
from knowledge.normalize import normalize

router = APIRouter(prefix="/api", tags=["ask"])

SPECIAL_ANSWERS = {"human": texts.ASK_HUMAN, "out_of_scope": texts.ASK_OUT_OF_SCOPE}


@router.post("/ask", dependencies=[PublicRateLimit])
async def ask(body: AskIn, runtime: RuntimeDep) -> AskOut:
    # Matching is under a millisecond of pure Python (bench/matcher.py): here, in the event loop, questions are
    # matched one at a time in arrival order, without the trip to a worker thread and back that costs as much again.
    # (In many threads at once they only interleave under the GIL and all finish late.) At 2,000 characters, the
    # most a question may have, it takes about 15 ms.
    decision = runtime.matcher.decide(body.text)
    guide = runtime.matcher.kb.guides.get(decision.label)
    if guide is not None:
        answer = texts.answer(guide, past_review=guide.is_past_review())
    elif decision.label == "emergency":
        answer = safety.advice(normalize(body.text))
    else:
        answer = SPECIAL_ANSWERS[decision.label]
    top3 = [ScoredOut(id=s.id, score=s.score) for s in decision.top3]
    return AskOut(label=decision.label, confidence=decision.confidence, top3=top3, answer=answer)
