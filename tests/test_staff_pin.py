"""Staff PIN: salted scrypt hash, lockout after five wrong PINs, unlock after the wait."""

import json
import os
import stat
import time

import pytest

from kiosk.staff_pin import (
    LOCKOUT_SECONDS,
    MAX_ATTEMPTS,
    PinError,
    PinGate,
    check_pin_hash,
    hash_pin,
    verify_pin,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_pin("2468")


def test_hash_is_salted_and_verifies(stored):
    assert "2468" not in stored
    assert stored != hash_pin("2468"), "two hashes of one PIN must differ (salt)"
    assert verify_pin("2468", stored)
    assert not verify_pin("2469", stored)
    assert check_pin_hash(stored) is None


@pytest.mark.parametrize("pin", ["12", "abcd", "1234567890123", ""])
def test_bad_pins_are_refused(pin):
    with pytest.raises(PinError):
        hash_pin(pin)


@pytest.mark.parametrize("damaged", ["", "plain", "scrypt$x$8$1$AAAA$AAAA", "md5$1$2$3$4$5"])
def test_a_damaged_hash_lets_no_one_in(damaged):
    assert not verify_pin("2468", damaged)
    assert check_pin_hash(damaged) is not None


def test_five_wrong_pins_lock_entry_then_it_opens_after_the_wait(stored):
    clock = Clock()
    gate = PinGate(stored, clock=clock)
    for _ in range(MAX_ATTEMPTS):
        assert not gate.attempt("0000")
    assert gate.locked_for() == LOCKOUT_SECONDS
    assert not gate.attempt("2468"), "the right PIN is refused while locked"
    clock.now += LOCKOUT_SECONDS - 1
    assert not gate.attempt("2468")
    clock.now += 2
    assert gate.locked_for() == 0
    assert gate.attempt("2468")


def test_a_right_pin_resets_the_count(stored):
    gate = PinGate(stored, clock=Clock())
    for _ in range(MAX_ATTEMPTS - 1):
        gate.attempt("0000")
    assert gate.attempt("2468")
    assert not gate.attempt("0000")
    assert gate.locked_for() == 0


def test_no_pin_configured_means_staff_mode_is_closed():
    gate = PinGate(None, clock=Clock())
    assert not gate.attempt("0000")


# ── the lockout survives a restart ─────────────────────────────────────────


def test_a_lockout_survives_a_restart(stored, tmp_path):
    state = tmp_path / "data" / "staff-lockout.json"
    gate = PinGate(stored, state=state)
    for _ in range(MAX_ATTEMPTS):
        assert not gate.attempt("0000")
    assert gate.locked_for() > 0
    del gate  # the kiosk is switched off and on again
    again = PinGate(stored, state=state)
    assert LOCKOUT_SECONDS - 60 < again.locked_for() <= LOCKOUT_SECONDS
    assert not again.attempt("2468"), "the right PIN is still refused after the restart"


def test_wrong_pins_before_a_restart_still_count(stored, tmp_path):
    state = tmp_path / "staff-lockout.json"
    gate = PinGate(stored, state=state)
    for _ in range(MAX_ATTEMPTS - 1):
        assert not gate.attempt("0000")
    again = PinGate(stored, state=state)  # restarted: not five fresh tries
    assert not again.attempt("0000")
    assert again.locked_for() > 0


def test_an_expired_lockout_opens_and_a_right_pin_clears_the_count(stored, tmp_path):
    state = tmp_path / "staff-lockout.json"
    state.write_text(json.dumps({"failures": 0, "locked_until": time.time() - 1}), "utf-8")
    gate = PinGate(stored, state=state)
    assert gate.locked_for() == 0
    assert not gate.attempt("0000")
    assert gate.attempt("2468")
    assert json.loads(state.read_text("utf-8"))["failures"] == 0


def test_a_clock_set_back_never_locks_longer_than_the_lockout(stored, tmp_path):
    state = tmp_path / "staff-lockout.json"
    state.write_text(json.dumps({"failures": 0, "locked_until": time.time() + 86_400}), "utf-8")
    assert PinGate(stored, state=state).locked_for() <= LOCKOUT_SECONDS


@pytest.mark.parametrize("damaged", ["", "not json", "[1, 2]", '{"failures": "many"}'])
def test_a_damaged_lockout_file_locks_rather_than_opens(stored, tmp_path, damaged):
    state = tmp_path / "staff-lockout.json"
    state.write_text(damaged, "utf-8")
    assert PinGate(stored, state=state).locked_for() > 0


def test_the_lockout_file_is_private(stored, tmp_path):
    state = tmp_path / "data" / "staff-lockout.json"
    old = os.umask(0o000)
    try:
        PinGate(stored, state=state).attempt("0000")
    finally:
        os.umask(old)
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.parent.stat().st_mode) == 0o700


def test_a_full_width_pin_is_refused():
    with pytest.raises(PinError):
        hash_pin("１２３４")  # the PIN pad could never type it
