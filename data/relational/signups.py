"""Sign-ups: the organization, its supply contract and its owner created together, and the verification
state of a sign-up that waits for the registries (pending, approved, rejected)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from data.relational import Database, text_length
from data.relational.models import Organization, SupplyContract, User
from data.relational.people import AccountError


@dataclass(frozen=True)
class NewSignup:
    email: str
    password_hash: str
    full_name: str
    inn: str
    organization_name: str
    kind: str  # business | household
    contract_number: str
    supplier: str
    signed_on: dt.date


def contract_column_length(column: str) -> int:
    """The longest value a supply contract's text column holds."""
    return text_length(SupplyContract, column)


def inn_taken(db: Database, inn: str) -> bool:
    with db.session() as s:
        return s.scalar(select(Organization.id).where(Organization.inn == inn)) is not None


def create_signup(db: Database, signup: NewSignup, status: str, reason: str | None) -> int:
    """The organization, its contract and its owner, in one transaction; returns the user id."""
    now = dt.datetime.now(dt.UTC)
    with db.session() as s:
        org = Organization(inn=signup.inn, name=signup.organization_name, kind=signup.kind)
        s.add(org)
        s.flush()
        s.add(
            SupplyContract(
                organization_id=org.id,
                number=signup.contract_number,
                supplier=signup.supplier,
                signed_on=signup.signed_on,
                status="active" if status == "active" else "pending",
                verified_at=now if status == "active" else None,
            )
        )
        user = User(
            email=signup.email.strip().lower(),
            password_hash=signup.password_hash,
            full_name=signup.full_name,
            role="consumer",
            status=status,
            status_reason=reason,
            organization_id=org.id,
            is_owner=True,
        )
        s.add(user)
        s.flush()
        return user.id


@dataclass(frozen=True)
class PendingSignup:
    user_id: int
    email: str
    inn: str
    organization_name: str
    contract_number: str
    supplier: str
    signed_on: dt.date
    status: str
    reason: str | None


def pending_signup(db: Database, user_id: int) -> PendingSignup | None:
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None or user.organization_id is None:
            return None
        org = s.get(Organization, user.organization_id)
        if org is None:
            return None
        contract = s.scalar(select(SupplyContract).where(SupplyContract.organization_id == user.organization_id))
        return PendingSignup(
            user.id,
            user.email,
            org.inn,
            org.name,
            contract.number if contract else "",
            contract.supplier if contract else "",
            contract.signed_on if contract else dt.date.min,
            user.status,
            user.status_reason,
        )


def settle_signup(db: Database, user_id: int, approved: bool, reason: str | None, organization_name: str | None) -> str:
    """Approve (user active, contract active and verified) or reject a pending sign-up; returns the email."""
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise AccountError("no such user")
        if user.status != "pending":
            raise AccountError(f"{user.email} is not waiting for verification (status: {user.status})")
        user.status = "active" if approved else "rejected"
        user.status_reason = reason
        user.session_epoch += 1
        for contract in s.scalars(select(SupplyContract).where(SupplyContract.organization_id == user.organization_id)):
            contract.status = "active" if approved else "rejected"
            contract.verified_at = dt.datetime.now(dt.UTC) if approved else None
        if organization_name and user.organization_id is not None:
            organization = s.get(Organization, user.organization_id)
            if organization is not None:
                organization.name = organization_name
        return user.email


def note_verification_delay(db: Database, user_id: int, reason: str) -> None:
    with db.session() as s:
        user = s.get(User, user_id)
        if user is not None and user.status == "pending":
            user.status_reason = reason
