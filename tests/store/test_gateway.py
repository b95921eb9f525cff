"""The bureau gateway's own promises: URLs checked before connecting, errors in three kinds,
kiosk ids the bureau can keep."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from kiosk.store.db import BureauUnavailable
from kiosk.store.gateway import (
    BureauGateway,
    BureauUrlInvalid,
    KioskIdTooLong,
    parse_bureau_url,
)

DEAD = "postgresql+psycopg://kiosk:pw@127.0.0.1:1/bureau"


@pytest.mark.db
def test_ping_reaches_a_live_bureau(bureau: Engine) -> None:
    BureauGateway(bureau).ping()


def test_ping_of_an_unreachable_bureau_is_bureau_unavailable() -> None:
    dead = BureauGateway.connect(DEAD)
    try:
        with pytest.raises(BureauUnavailable, match="bureau database"):
            dead.ping()
    finally:
        dead.dispose()


@pytest.mark.parametrize(
    "url",
    ["", "nonsense", "tcp://h:port", "sqlite:///x.db", "mysql+pymysql://r@h/db?sslmode=require"],
)
def test_urls_that_cannot_work_are_refused_before_any_connection(url: str) -> None:
    with pytest.raises(BureauUrlInvalid):
        parse_bureau_url(url)


def test_mariadb_tls_options_are_accepted() -> None:
    url = parse_bureau_url("mysql+pymysql://r@h/db?ssl_ca=/etc/ca.pem&ssl_verify_cert=true")
    assert url.query["ssl_ca"] == "/etc/ca.pem"


def test_a_kiosk_id_the_bureau_cannot_keep_is_refused_with_what_to_do() -> None:
    dead = BureauGateway.connect(DEAD)
    try:
        with pytest.raises(KioskIdTooLong, match="shorten kiosk_id"):
            dead.register_kiosk("k" * 65)
    finally:
        dead.dispose()
