"""The catalogue cache refreshes after its TTL so imported products show up."""

from decimal import Decimal

from actions.services import Store
from crm_bridge import products


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_catalogue_is_cached_until_ttl(sqlite_url: str) -> None:
    clock = FakeClock()
    store = Store(sqlite_url, catalogue_ttl=30, clock=clock)
    assert store.catalogue().names == []
    with store.transaction() as session:
        products.upsert_product(
            session, sku="K-1", name="Stainless Teapot", category="kitchen", price=Decimal(29)
        )

    clock.now = 29.0
    assert store.catalogue().names == []
    clock.now = 30.0
    catalogue = store.catalogue()
    assert catalogue.names == ["Stainless Teapot"]
    assert catalogue.categories == ("kitchen",)
    store.dispose()


def test_transaction_rolls_back_on_error(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    try:
        with store.transaction() as session:
            products.upsert_product(
                session, sku="K-2", name="Speckled Teapot", category="kitchen", price=Decimal(29)
            )
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with store.transaction() as session:
        assert products.get_by_sku(session, "K-2") is None
    store.dispose()
