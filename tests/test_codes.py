"""UUIDv7 keys and short human codes."""

from __future__ import annotations

import time

from kiosk.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    format_code,
    new_code,
    normalise_code,
    uuid7,
    uuid7_time_ms,
)


def test_uuid7_has_version_variant_and_time() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert value.version == 7
    assert value.variant == "specified in RFC 4122"
    assert before <= uuid7_time_ms(value) <= after + 1


def test_uuid7_sorts_in_creation_order_within_a_process() -> None:
    ids = [uuid7() for _ in range(20_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_codes_avoid_ambiguous_characters() -> None:
    assert not set("01OI") & set(CODE_ALPHABET)
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)


def test_typed_codes_are_normalised() -> None:
    code = new_code()
    assert normalise_code(format_code(code).lower()) == code
    assert normalise_code(" " + code[:5] + " " + code[5:]) == code
    assert normalise_code("O" + code[1:]) is None  # not a code: O is never used
    assert normalise_code(code[:-1]) is None
