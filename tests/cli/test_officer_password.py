"""`citizen-help officer add` at a terminal asks for the password twice, without echo (getpass)."""

from __future__ import annotations

import io
import sys

import pytest
import typer

from cli import officer_commands


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Standard input is a terminal; what getpass (no echo) is asked is recorded, answers come from the list."""
    prompts: list[str] = []
    answers = ["a long enough password", "a long enough password"]
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(officer_commands.getpass, "getpass", lambda prompt: prompts.append(prompt) or answers.pop(0))
    return answers, prompts


def test_the_password_is_asked_twice_without_echo(at_a_terminal):
    _, prompts = at_a_terminal
    assert officer_commands._read_password() == "a long enough password"
    assert prompts == ["password: ", "again: "]


def test_two_different_passwords_are_refused(at_a_terminal):
    answers, _ = at_a_terminal
    answers[1] = "something else"
    with pytest.raises(typer.Exit):
        officer_commands._read_password()
