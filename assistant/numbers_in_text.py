"""Phone and ID numbers inside free text, read the way a person reads them: full-width digits, Chinese numerals
(幺 and 两 too), and spaces, dashes, dots or brackets between the digit groups. Each number found comes with its
kind, its digits and where each digit sits in the original text, so masking can hide exactly those characters."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Kind = Literal["mobile", "landline", "id"]

_SPOKEN = ["零〇", "一幺壹", "二两兩贰貳", "三叁參", "四肆", "五伍", "六陆陸", "七柒", "八捌", "九玖"]  # by value
_NUMERALS = {numeral: str(value) for value, numerals in enumerate(_SPOKEN) for numeral in numerals}
_CHECK_LETTERS = "XxＸｘ"  # the 18th character of an ID number may be X
# What people put between digit groups, and invisible characters that would otherwise split a number unseen.
_SEPARATORS = (r"\s\-‐‑‒–—―－﹣.．·・•/／()（）"
               "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe0f\u20e3\ufeff")
_DIGIT = rf"[\d{''.join(_NUMERALS)}]"
# A run of digits with at most three separators between neighbours; the numbers are looked for inside it.
_RUN = re.compile(rf"{_DIGIT}(?:[{_SEPARATORS}]{{0,3}}{_DIGIT}|[{_CHECK_LETTERS}])*")
_PLUS = "+＋"

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0(?:10|2\d|[3-9]\d\d)[1-9]\d{6,7}")  # area code (010, 02x, 0xxx), then 7 or 8 digits
_SHORTEST = 10  # no number is shorter than a landline with its area code
_COUNTRY_CODES = ("0086", "86")
# Every length a number can have, the longest first: IDs (18, 15), mobiles (11) and landlines (10-12), with 86 or
# 0086 before them, a landline's 0 perhaps left out after the country code.
_LENGTHS = sorted({18, 15, 11, 10, 12} | {n + len(code) - drop for n in (10, 11, 12) for code in _COUNTRY_CODES
                                          for drop in (0, 1)}, reverse=True)


@dataclass(frozen=True)
class Number:
    kind: Kind
    digits: str  # the national number in ASCII: 13812345678, 01065123456, 11010519491231002X
    positions: tuple[int | None, ...]  # where each of those digits is in the text (None: a 0 left out after +86)
    start: int  # the span in the text, country code included
    end: int

    @property
    def head(self) -> int:
        """How many leading digits say little about the person: a mobile's network, an ID's province and city
        (3), a landline's area code (3 or 4)."""
        if self.kind == "landline":
            return 3 if self.digits[1] in "12" else 4
        return 3


def find_numbers(text: str) -> list[Number]:
    """Every mobile, landline (with its area code) and ID number in the text, in order."""
    found: list[Number] = []
    for run in _RUN.finditer(text):
        if len(run.group()) >= _SHORTEST:
            found.extend(_numbers_in(_Run(text, run.start(), run.end())))
    return found


def phone_numbers(text: str) -> list[str]:
    """The mobile and landline numbers in the text, as plain digits (a callback number said in a sentence)."""
    return [n.digits for n in find_numbers(text) if n.kind != "id"]


def digit_runs(text: str) -> list[str]:
    """Every run of digits in the text as ASCII digits, however written (numerals, full width, separators between
    groups): what a person meant as one number, to say what is wrong with it."""
    return [_Run(text, run.start(), run.end()).digits for run in _RUN.finditer(text)]


# Where a number may begin or end: neighbouring digits (a number never takes half of "13812345678901"), one Chinese
# numeral (numerals also make words: the 一 of "打一一三八…" is not part of the number), or the X of an ID.
_PIECE = re.compile(rf"\d+|[{''.join(_NUMERALS)}]|[{_CHECK_LETTERS}]")


class _Run:
    """A run's pieces read as one ASCII string of digits, with where each piece starts in it and in the text."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        pieces = list(_PIECE.finditer(text, start, end))
        self.digits = "".join(_read_piece(m.group()) for m in pieces)
        self.text_starts = [m.start() for m in pieces]
        self.bounds = [0]
        for m in pieces:
            self.bounds.append(self.bounds[-1] + len(m.group()))
        self.piece_at = {bound: k for k, bound in enumerate(self.bounds)}

    def position(self, digit: int) -> int:
        """Where the digit at this index of self.digits is in the text (each character is one digit)."""
        k = bisect.bisect_right(self.bounds, digit) - 1
        return self.text_starts[k] + digit - self.bounds[k]


def _read_piece(piece: str) -> str:
    if piece.isascii():
        return piece.upper()
    if piece in _NUMERALS:
        return _NUMERALS[piece]
    if piece in _CHECK_LETTERS:
        return "X"
    return "".join(str(unicodedata.decimal(c)) for c in piece)


def _numbers_in(run: _Run) -> list[Number]:
    """Numbers made of whole pieces, the longest first from each piece on."""
    found: list[Number] = []
    piece = 0
    while piece < len(run.bounds) - 1:
        number = _longest_from(run, run.bounds[piece])
        if number is None:
            piece += 1
        else:
            found.append(number[0])
            piece = run.piece_at[number[1]]
    return found


def _longest_from(run: _Run, first: int) -> tuple[Number, int] | None:
    """The longest number starting at this digit, and the digit after it."""
    start = run.position(first)
    plus = start > 0 and run.text[start - 1] in _PLUS
    for length in _LENGTHS:
        if first + length not in run.piece_at:  # it would end inside a piece, or after the run
            continue
        read = _read(run.digits[first:first + length], plus=plus)
        if read is None:
            continue
        kind, national, skipped = read
        positions: tuple[int | None, ...] = tuple(run.position(d) for d in range(first + skipped, first + length))
        if len(positions) < len(national):  # +86 10 …: the area code's 0 was left out
            positions = (None, *positions)
        end = run.position(first + length - 1) + 1
        return Number(kind, national, positions, start - 1 if plus else start, end), first + length
    return None


def _read(digits: str, *, plus: bool) -> tuple[Kind, str, int] | None:
    """The kind, the national number and how many leading digits were a country code; None if not a number."""
    if _is_id(digits):
        return "id", digits, 0
    if "X" in digits:
        return None
    if _MOBILE.fullmatch(digits):
        return "mobile", digits, 0
    if _LANDLINE.fullmatch(digits):
        return "landline", digits, 0
    for code in _COUNTRY_CODES:
        rest = digits.removeprefix(code)
        if rest == digits:
            continue
        if _MOBILE.fullmatch(rest):
            return "mobile", rest, len(code)
        if plus or code == "0086":  # a bare 86 before a landline is too likely to be something else
            for national in (rest, "0" + rest):
                if _LANDLINE.fullmatch(national):
                    return "landline", national, len(code)
    return None


def _is_id(digits: str) -> bool:
    """18 characters (the last may be X) or the old 15 digits, from a province (1–8) with a real-looking birth
    date: an account or order number of the same length is rarely mistaken for one."""
    if len(digits) == 18 and digits[:17].isdigit():
        year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
        return 1900 <= year <= 2099 and _date_like(month, day) and digits[0] in "12345678"
    if len(digits) == 15 and digits.isdigit():
        return _date_like(int(digits[8:10]), int(digits[10:12])) and digits[0] in "12345678"
    return False


def _date_like(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31
