"""The masking log record factory: messages, arguments and tracebacks lose their full numbers; formatters work."""

from __future__ import annotations

import logging

import pytest

from assistant import log_privacy

MOBILE = "13912345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture(autouse=True)
def masking():
    log_privacy.install()


def record(msg: str, args: tuple | dict = (), exc_info=None) -> logging.LogRecord:
    return logging.getLogger("test").makeRecord("test", logging.INFO, __file__, 1, msg, args, exc_info)


def test_a_number_in_the_message_is_masked():
    assert record(f"citizen said 电话{MOBILE}").getMessage() == "citizen said 电话139****5678"


@pytest.mark.parametrize(("said", "logged"), [
    ("139.1234.5678", "139.****.5678"),
    ("１３９１２３４５６７８", "１３９****５６７８"),
    ("幺三九一二三四五六七八", "幺三九****五六七八"),
    ("(010)65123456", "(010)****3456"),
    ("110105-1949-1231-002X", "110***-****-****-002X"),
])
def test_a_number_is_masked_in_a_log_however_it_was_written(said, logged):
    assert record("citizen said %s", (said,)).getMessage() == f"citizen said {logged}"


def test_text_arguments_are_masked_and_stay_arguments_for_formatters_that_read_them():
    access = record('%s - "%s %s"', ("10.0.0.1", "GET", f"/x?id={ID_NUMBER}"))
    assert access.args == ("10.0.0.1", "GET", "/x?id=110***********002X")
    assert ID_NUMBER not in access.getMessage()


def test_a_number_inside_another_kind_of_argument_leaves_only_the_masked_text():
    logged = record("params %r and %d", ({"phone": MOBILE}, int(MOBILE)))
    assert logged.getMessage() == "params {'phone': '139****5678'} and 139****5678"
    assert logged.args == ()


def test_a_traceback_quoting_a_number_is_masked():
    try:
        raise ValueError(f"bad input {ID_NUMBER}")
    except ValueError as exc:
        logged = record("failed", exc_info=(type(exc), exc, exc.__traceback__))
    assert "bad input 110***********002X" in logging.Formatter().format(logged)
    assert ID_NUMBER not in logging.Formatter().format(logged)


def test_records_without_numbers_are_left_as_they_were():
    plain = record("%s answered in %d ms", ("ask", 12))
    assert (plain.msg, plain.args) == ("%s answered in %d ms", ("ask", 12))


def test_installing_twice_masks_once():
    factory = logging.getLogRecordFactory()
    log_privacy.install()
    assert logging.getLogRecordFactory() is factory
