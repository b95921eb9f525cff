"""Staff PIN: salted scrypt hash, lockout after five wrong PINs, unlock after the wait."""

import pytest

from kiosk.staff import (
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
