"""The comparison endpoint: FastAPI returning a constant, with the same request parsing as /api/ask.

    python -m uvicorn bench.bare_app:app
"""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()

ANSWER = {"label": "id-card-renewal", "confidence": 0.9, "top3": [], "answer": "请带上户口本到派出所办理。"}


class Question(BaseModel):
    text: str = Field(max_length=2000)


@app.post("/bare")
async def bare(question: Question) -> dict:
    return ANSWER
