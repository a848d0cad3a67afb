"""`python -m launcher train-recommender`: versions with metrics, fold-in, first training."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from crm_bridge import contacts, orders, products
from crm_bridge.db import make_engine, make_session_factory, upgrade_to_head
from crm_bridge.demo_shop import seed_demo_shop
from crm_bridge.enums import OrderStatus
from launcher import recommender_training as training
from recommender import Constraints, ModelStore


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "crm.sqlite3"
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        seed_demo_shop(session)
        session.commit()
    engine.dispose()
    return path


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path) -> str:
    copy = tmp_path / "crm.sqlite3"
    shutil.copyfile(demo_file, copy)
    return f"sqlite:///{copy}"


def _metrics(root: Path, version: str) -> dict:
    return json.loads((root / version / "metrics.json").read_text())


def test_train_saves_a_version_with_hold_out_metrics(demo_url: str, tmp_path: Path) -> None:
    root = tmp_path / "recommender"

    version = training.train(demo_url, root)

    metrics = _metrics(root, version)
    assert version == "v000001"
    assert metrics["kind"] == "full"
    assert metrics["items"] == 162 and metrics["users"] > 250
    assert metrics["holdout"]["users"] > 50
    # Far better than chance (10 of 162 items): the demo shop's customers have tastes.
    assert metrics["holdout"]["recall"] > 0.15
    assert ModelStore(root).load(version).model.recommend(k=3)


def test_fold_in_adds_a_customers_new_order_without_refitting(
    demo_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "recommender"
    training.train(demo_url, root)
    model = ModelStore(root).load("v000001").model
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as session:
        customer = contacts.get_by_external_ref(session, "DEMO-C0002")
        assert customer is not None
        pick = next(
            r.item_id
            for r in model.recommend(
                customer.id, constraints=Constraints(in_stock_only=False), k=20
            )
            if not products.get_product(session, r.item_id).attributes.get("consumable")
        )
        last = orders.list_for_contact(session, customer.id)[0].placed_at
        product = products.get_product(session, pick)
        orders.create_order(
            session,
            contact_id=customer.id,
            placed_at=max(last, _trained_until(root)) + timedelta(days=1),
            items=[orders.OrderLine(product.id, 1, product.price)],
            status=OrderStatus.delivered,
        )
        session.commit()
        customer_id = customer.id
    engine.dispose()

    version = training.fold_in(demo_url, root)

    metrics = _metrics(root, version)
    assert (version, metrics["kind"], metrics["based_on"], metrics["folded_in"]) == (
        "v000002",
        "fold-in",
        "v000001",
        1,
    )
    folded = ModelStore(root).load(version).model
    offered = folded.recommend(customer_id, constraints=Constraints(in_stock_only=False), k=20)
    assert pick not in [r.item_id for r in offered]


def _trained_until(root: Path) -> datetime:
    return datetime.fromisoformat(_metrics(root, "v000001")["trained_until"])


def test_fold_in_with_a_new_product_trains_fully(demo_url: str, tmp_path: Path) -> None:
    root = tmp_path / "recommender"
    training.train(demo_url, root)
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as session:
        products.upsert_product(
            session,
            sku="NEW-1",
            name="Moon Lamp",
            category="lighting",
            price=Decimal("30"),
            stock=3,
        )
        session.commit()
    engine.dispose()

    version = training.fold_in(demo_url, root)

    assert _metrics(root, version)["kind"] == "full"
    assert _metrics(root, version)["items"] == 163


def test_ensure_trained_trains_only_the_first_time(demo_url: str, tmp_path: Path) -> None:
    root = tmp_path / "recommender"

    assert training.ensure_trained(demo_url, root) == "v000001"
    assert training.ensure_trained(demo_url, root) is None
    assert ModelStore(root).versions() == ["v000001"]


def test_ensure_trained_skips_a_store_without_products(sqlite_url: str, tmp_path: Path) -> None:
    root = tmp_path / "recommender"

    assert training.ensure_trained(sqlite_url, root) is None
    assert ModelStore(root).versions() == []
