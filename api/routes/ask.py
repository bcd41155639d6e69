"""`POST /api/ask`: one question answered without a conversation, for other public systems."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import PublicRateLimit, RuntimeDep
from api.schemas import AskIn, AskOut, ScoredOut

router = APIRouter(prefix="/api", tags=["ask"])


@router.post("/ask", dependencies=[PublicRateLimit])
async def ask(body: AskIn, runtime: RuntimeDep) -> AskOut:
    # Matching is under a millisecond of pure Python (bench/matcher.py): here, in the event loop, questions are
    # matched one at a time in arrival order, without the trip to a worker thread and back that costs as much again.
    # (In many threads at once they only interleave under the GIL and all finish late.) At 2,000 characters, the
    # most a question may have, it takes about 15 ms.
    asked = runtime.assistant.dialogue.ask(body.text)
    decision = asked.decision
    top3 = [ScoredOut(id=s.id, score=s.score) for s in decision.top3]
    return AskOut(label=decision.label, confidence=decision.confidence, top3=top3, answer=asked.answer)
