"""Telegram takes at most 4,096 characters per message (counted in UTF-16 units): longer text is cut between
sentences, never inside one unless a single sentence is itself too long."""

from __future__ import annotations

import re

from assistant.channels import channel

MESSAGE_LIMIT = channel("telegram").max_text or 4096  # declared in assistant/channels.py

# A sentence: up to its end marks and any closing quotes or brackets, or up to a line break.
_SENTENCE = re.compile(r".*?(?:[。！？!?；;…]+[”’」』）)\"']*|\n|$)", re.S)
_CLAUSE_END = re.compile(r"(?<=[，、,：:])")


def units(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP (most emoji) count twice."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pieces of at most `limit` units, each ending at a sentence boundary where one exists."""
    if units(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        if current and units(current) + units(piece) > limit:
            chunks.append(current)
            current = ""
        current += piece
    if current:
        chunks.append(current)
    return [chunk.strip() for chunk in chunks if chunk.strip()]


def _pieces(text: str, limit: int) -> list[str]:
    """Sentences; a sentence longer than the limit is cut at commas, then, as a last resort, anywhere."""
    pieces = []
    for sentence in _SENTENCE.findall(text):
        if units(sentence) <= limit:
            pieces.append(sentence)
            continue
        for clause in _CLAUSE_END.split(sentence):
            pieces.extend(_hard_cut(clause, limit) if units(clause) > limit else [clause])
    return [p for p in pieces if p]


def _hard_cut(text: str, limit: int) -> list[str]:
    cuts, current = [], ""
    for char in text:
        if units(current) + units(char) > limit:
            cuts.append(current)
            current = ""
        current += char
    return cuts + [current] if current else cuts
