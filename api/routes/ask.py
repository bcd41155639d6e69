"""`POST /api/ask`: one question answered without a conversation, for other public systems."""

from __future__ import annotations

import anyio
import anyio.to_thread
from fastapi import APIRouter

from api.deps import PublicRateLimit, RuntimeDep
from api.schemas import AskIn, AskOut, ScoredOut
from assistant import safety, texts
from knowledge.normalize import normalize

router = APIRouter(prefix="/api", tags=["ask"])

SPECIAL_ANSWERS = {"human": texts.ASK_HUMAN, "out_of_scope": texts.ASK_OUT_OF_SCOPE}
# Matching is pure Python work under the GIL: questions matched in many threads at once only interleave and all
# finish late. One at a time, in arrival order (bench/api_load.py, 64 clients: p99 76 ms instead of 235 ms).
_MATCHING = anyio.CapacityLimiter(1)


@router.post("/ask", dependencies=[PublicRateLimit])
async def ask(body: AskIn, runtime: RuntimeDep) -> AskOut:
    decision = await anyio.to_thread.run_sync(runtime.matcher.decide, body.text, limiter=_MATCHING)
    guide = runtime.matcher.kb.guides.get(decision.label)
    if guide is not None:
        answer = texts.answer(guide, past_review=guide.is_past_review())
    elif decision.label == "emergency":
        answer = safety.advice(normalize(body.text))
    else:
        answer = SPECIAL_ANSWERS[decision.label]
    top3 = [ScoredOut(id=s.id, score=s.score) for s in decision.top3]
    return AskOut(label=decision.label, confidence=decision.confidence, top3=top3, answer=answer)
