"""Who may see or change what: the one place that decides, per record.

- a victim sees only their own record and cases;
- an officer sees the cases where they are officer in charge;
- a supervisor sees the cases in their area;
- an ISVA sees a victim's cases only through an active AdvocateLink (scoped to one case
  when the link says so), and the victim's record while any such link is active;
- an admin manages accounts, and reads a victim's record only with a recorded reason;
- a police record system (an API key) sees and creates the cases of its force, or of
  every force when its key is not tied to one.

Every view, change and export of a victim's record writes an audit event; so does every
refusal. The web layer turns a refusal into "not found", so record ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import AdvocateLink, ApiKey, Case, CaseVictim, Role, StaffUser, Victim
from portal.services import audit


@dataclass(frozen=True)
class Principal:
    """Someone signed in: a victim, a member of staff with a role, or a police system."""

    kind: str  # "victim", "staff" or "api"
    id: int
    role: str | None = None
    area: str | None = None
    #: A police system's key name (the audit trail names it) and the force it serves.
    name: str | None = None
    force: str | None = None

    @property
    def ref(self) -> str:
        return f"api:{self.name}" if self.kind == "api" else f"{self.kind}:{self.id}"

    @classmethod
    def for_victim(cls, victim_id: int) -> Principal:
        return cls("victim", victim_id)

    @classmethod
    def for_staff(cls, user: StaffUser) -> Principal:
        return cls("staff", user.id, role=user.role, area=user.area)

    @classmethod
    def for_api_key(cls, key: ApiKey) -> Principal:
        return cls("api", key.id, name=key.name, force=key.force)

    def is_staff(self, *roles: str) -> bool:
        return self.kind == "staff" and (not roles or self.role in roles)


def _victim_ids_of_case(session: Session, case_id: int) -> set[int]:
    rows = session.exec(select(CaseVictim.victim_id).where(CaseVictim.case_id == case_id))
    return set(rows.all())


def _active_links(session: Session, isva_id: int, victim_id: int | None = None):
    query = select(AdvocateLink).where(
        AdvocateLink.isva_id == isva_id, AdvocateLink.revoked_at.is_(None)
    )
    if victim_id is not None:
        query = query.where(AdvocateLink.victim_id == victim_id)
    return session.exec(query).all()


def may_see_case(session: Session, who: Principal, case: Case) -> bool:
    if who.kind == "victim":
        return who.id in _victim_ids_of_case(session, case.id)
    if who.kind == "api":
        return who.force is None or case.force == who.force
    if who.role == Role.OFFICER:
        return case.officer_id == who.id
    if who.role == Role.SUPERVISOR:
        return who.area is not None and case.area == who.area
    if who.role == Role.ISVA:
        victims = _victim_ids_of_case(session, case.id)
        return any(
            link.victim_id in victims and link.case_id in (None, case.id)
            for link in _active_links(session, who.id)
        )
    return False


def police_case_scope(who: Principal) -> sa.ColumnElement[bool] | None:
    """The SQL condition on Case matching what an officer (their cases) or a supervisor
    (their area) may see; None for anyone else. The same rule as `may_see_case`."""
    if who.is_staff(Role.OFFICER):
        return Case.officer_id == who.id
    if who.is_staff(Role.SUPERVISOR):
        return Case.area == (who.area or "")
    return None


def may_see_victim(session: Session, who: Principal, victim_id: int, reason: str | None) -> bool:
    if who.kind == "victim":
        return who.id == victim_id
    if who.role == Role.ADMIN:
        return bool(reason and reason.strip())
    if who.role == Role.ISVA:
        return bool(_active_links(session, who.id, victim_id))
    case_ids = session.exec(select(CaseVictim.case_id).where(CaseVictim.victim_id == victim_id))
    return any(
        may_see_case(session, who, case)
        for case in (session.get(Case, case_id) for case_id in case_ids.all())
        if case is not None
    )


def record_refusal(session: Session, who: Principal, subject: str | None, action: str) -> None:
    """Audit a refused attempt to see or change `subject`."""
    audit.record(
        session, actor=who.ref, action="access.denied", subject=subject, details={"tried": action}
    )


def open_case(
    session: Session,
    who: Principal,
    case_id: int,
    *,
    action: str = "case.view",
    details: dict | None = None,
) -> Case | None:
    """The case if `who` may see it (audited as `action`), else None (audited refusal)."""
    case = session.get(Case, case_id)
    subject = f"case:{case_id}"
    if case is None or not may_see_case(session, who, case):
        record_refusal(session, who, subject, action)
        return None
    audit.record(session, actor=who.ref, action=action, subject=subject, details=details)
    return case


def may_create_case(session: Session, who: Principal, force: str) -> bool:
    """Only a police system creates cases, and only for its own force (refusal audited)."""
    if who.kind == "api" and (who.force is None or who.force == force):
        return True
    record_refusal(session, who, None, "case.create")
    return False


def may_change_case(session: Session, who: Principal, case: Case, *, action: str) -> bool:
    """Whether `who` may change the case. A refusal is audited here; the change itself is
    audited by the service that makes it."""
    may_change = who.kind == "api" or who.is_staff(Role.OFFICER, Role.SUPERVISOR)
    if may_change and may_see_case(session, who, case):
        return True
    record_refusal(session, who, f"case:{case.id}", action)
    return False


def open_victim(
    session: Session,
    who: Principal,
    victim_id: int,
    *,
    action: str = "victim.view",
    reason: str | None = None,
    on_behalf_of: str | None = None,
    details: dict | None = None,
) -> Victim | None:
    """The victim's record if `who` may see it (audited), else None (audited refusal)."""
    victim = session.get(Victim, victim_id)
    subject = f"victim:{victim_id}"
    if victim is None or not may_see_victim(session, who, victim_id, reason):
        record_refusal(session, who, subject, action)
        return None
    audit.record(
        session,
        actor=who.ref,
        action=action,
        subject=subject,
        on_behalf_of=on_behalf_of,
        reason=reason.strip() if reason else None,
        details=details,
    )
    return victim


def open_victim_case(
    session: Session,
    who: Principal,
    victim_id: int,
    case_id: int,
    *,
    action: str,
    on_behalf_of: str | None = None,
) -> tuple[Victim, Case] | None:
    """A victim and one of their cases, for acting on that victim's part of the case (their
    withdrawal): the victim themself, or an ISVA whose active link covers this case. The
    access is audited as `action` (saying on whose behalf), a refusal as access.denied."""
    victim, case = session.get(Victim, victim_id), session.get(Case, case_id)
    subject = f"case:{case_id}"
    in_case = (
        victim is not None
        and case is not None
        and victim_id in _victim_ids_of_case(session, case_id)
    )
    allowed = in_case and (
        (who.kind == "victim" and who.id == victim_id)
        or (
            who.is_staff(Role.ISVA)
            and any(
                link.case_id in (None, case_id)
                for link in _active_links(session, who.id, victim_id)
            )
        )
    )
    if not allowed:
        record_refusal(session, who, subject, action)
        return None
    audit.record(
        session,
        actor=who.ref,
        action=action,
        subject=subject,
        on_behalf_of=on_behalf_of,
        details={"victim_id": victim_id},
    )
    return victim, case


def cases_for(session: Session, who: Principal) -> list[Case]:
    """Every case `who` may see, newest first (an admin sees none: they manage accounts)."""
    query = select(Case).order_by(Case.id.desc())
    caseload = police_case_scope(who)
    if who.kind == "victim":
        query = query.join(CaseVictim, CaseVictim.case_id == Case.id).where(
            CaseVictim.victim_id == who.id
        )
    elif caseload is not None:
        query = query.where(caseload)
    elif who.role == Role.ISVA:
        cases = []
        for case in session.exec(
            query.join(CaseVictim, CaseVictim.case_id == Case.id).join(
                AdvocateLink, AdvocateLink.victim_id == CaseVictim.victim_id
            )
        ).unique():
            if case not in cases and may_see_case(session, who, case):
                cases.append(case)
        return cases
    else:
        return []
    return list(session.exec(query).all())


def victims_of_case(session: Session, case_id: int) -> list[Victim]:
    query = (
        select(Victim)
        .join(CaseVictim, CaseVictim.victim_id == Victim.id)
        .where(CaseVictim.case_id == case_id)
        .order_by(Victim.id)
    )
    return list(session.exec(query).all())


def clients_of(session: Session, isva_id: int) -> list[Victim]:
    """The victims who gave this ISVA access and have not taken it back."""
    ids = {link.victim_id for link in _active_links(session, isva_id)}
    return [session.get(Victim, victim_id) for victim_id in sorted(ids)]
