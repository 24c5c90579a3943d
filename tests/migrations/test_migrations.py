"""Migrations build the schema from empty and match the models, on both databases."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel

from portal.db import upgrade
from portal.models import AuditEvent, Case


def _assert_schema_matches_models(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == [], f"models and migrations differ: {differences}"


def _assert_tables_usable(url: str) -> None:
    engine = sa.create_engine(url)
    with Session(engine) as session:
        session.add(Case(crime_reference="01/1/26", force="F", area="A", crime_category="C"))
        session.commit()
        assert session.exec(sa.select(sa.func.count()).select_from(Case)).one() == (1,)
        assert session.exec(sa.select(sa.func.count()).select_from(AuditEvent)).one() == (0,)
    engine.dispose()


def test_migrations_upgrade_from_empty_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    upgrade(url)
    _assert_schema_matches_models(url)
    _assert_tables_usable(url)
    upgrade(url)  # a second run is a no-op


@pytest.mark.postgres
def test_migrations_upgrade_from_empty_on_postgresql(postgres_url):
    upgrade(postgres_url)
    _assert_schema_matches_models(postgres_url)
    _assert_tables_usable(postgres_url)
