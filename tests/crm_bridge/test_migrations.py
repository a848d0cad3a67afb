"""The Alembic migrations build exactly the schema the models describe, on both backends."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from crm_bridge.db import alembic_config, make_engine, upgrade_to_head
from crm_bridge.models import Base


def _head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def _diffs(url: str, metadata: sa.MetaData) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def test_upgrade_creates_every_model_table(blank_store_url: str) -> None:
    upgrade_to_head(blank_store_url)
    engine = make_engine(blank_store_url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_migrated_schema_matches_models(blank_store_url: str) -> None:
    upgrade_to_head(blank_store_url)
    assert _diffs(blank_store_url, Base.metadata) == []


def test_schema_comparison_would_notice_a_difference(blank_store_url: str) -> None:
    """Guards the test above: the comparison really looks at columns and types."""
    upgrade_to_head(blank_store_url)
    changed = sa.MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["products"].append_column(sa.Column("colour", sa.String(20)))
    changed.tables["leads"].c.grade.type = sa.Integer()
    kinds = {
        diff[0] if isinstance(diff, tuple) else diff[0][0]
        for diff in _diffs(blank_store_url, changed)
    }
    assert {"add_column", "modify_type"} <= kinds


def test_upgrade_twice_is_harmless(blank_store_url: str) -> None:
    upgrade_to_head(blank_store_url)
    upgrade_to_head(blank_store_url)
    engine = make_engine(blank_store_url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            assert versions.scalars().all() == [_head_revision()]
    finally:
        engine.dispose()
