import pytest
from sqlalchemy import select, text

import data.relational as relational
from auth.inn import complete_inn
from auth.passwords import hash_password, verify_password
from data.relational import Database, tokens, users
from data.relational.meters import list_meters
from data.relational.models import ApiToken
from tests.conftest import RELATIONAL_BACKENDS
from tests.helpers import make_org


def test_migrations_create_a_working_schema(db: Database) -> None:
    org_id = make_org(db, "770100000", "ООО «Тест»", ["A-1", "A-2"])
    make_org(db, "770300000", "ООО «Другая»", ["B-1"])
    meters = list_meters(db, org_id)
    assert [m.code for m in meters] == ["A-1", "A-2"]
    assert meters[0].organization_name == "ООО «Тест»"
    assert len(list_meters(db, None)) == 3


def test_users_are_created_with_hashed_passwords_and_clear_errors(db: Database) -> None:
    make_org(db, "770200000", "ООО «Вторая»", [])
    inn = complete_inn("770200000")
    user = users.create_user(db, " Owner@Example.RU ", hash_password("long enough"), "consumer", inn)
    assert user.email == "owner@example.ru"
    stored = users.user_by_email(db, "OWNER@example.ru")
    assert stored is not None and stored.password_hash != "long enough"
    assert verify_password(stored.password_hash, "long enough")
    assert not verify_password(stored.password_hash, "wrong one")
    with pytest.raises(users.UserError, match="already exists"):
        users.create_user(db, "owner@example.ru", hash_password("long enough"), "admin")
    with pytest.raises(users.UserError, match="needs --org-inn"):
        users.create_user(db, "c@example.ru", hash_password("long enough"), "consumer")
    with pytest.raises(users.UserError, match="no organization with INN"):
        users.create_user(db, "d@example.ru", hash_password("long enough"), "consumer", "7700000000")
    with pytest.raises(users.UserError, match="unknown role"):
        users.create_user(db, "e@example.ru", hash_password("long enough"), "root")


def test_api_tokens_are_stored_only_as_hashes(db: Database) -> None:
    user = users.create_user(db, "admin@example.ru", hash_password("long enough"), "admin")
    token = tokens.issue_token(db, user.id)
    with db.session() as s:
        rows = list(s.scalars(select(ApiToken)))
    assert len(rows) == 1 and token not in (rows[0].token_hash, rows[0].prefix)
    found = tokens.user_for_token(db, token)
    assert found is not None and found.email == "admin@example.ru"
    assert tokens.user_for_token(db, token + "x") is None
    assert tokens.user_for_token(db, "not-a-token") is None


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)  # PostgreSQL where configured
def test_a_pooled_connection_cut_while_idle_is_replaced_before_anyone_sees_it(db: Database, monkeypatch) -> None:
    """Connections are pinged only after lying idle (not on every checkout); one the server cut meanwhile (a restart,
    a firewall) is replaced, and the session that takes it works."""

    def backend_pid() -> int:
        with db.session() as s:
            return int(s.execute(text("SELECT pg_backend_pid()")).scalar_one())

    first = backend_pid()
    assert backend_pid() == first  # used a moment ago: taken again without a ping
    admin = Database(db.url)
    with admin.session() as s:
        assert s.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar_one()
    admin.dispose()
    monkeypatch.setattr(relational, "IDLE_BEFORE_PING_S", 0.0)  # as if it had lain idle long enough
    replaced = backend_pid()
    assert replaced != first
