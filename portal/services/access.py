"""Who may see or change what: the one place that decides, per record.

An area is a basic command unit (BCU) of one force: its name is unique only within that
force ("North" may exist in two forces), so police scope is always force + area. Staff
accounts carry both (StaffUser.force, StaffUser.area); a case carries both (Case.force,
Case.area). A police account without a force reaches no case.

- a victim sees only their own record and cases;
- an officer sees the cases of their force where they are officer in charge;
- a supervisor sees the cases of their force and area;
- an ISVA sees a victim's cases only through an active AdvocateLink (scoped to one case
  when the link says so), and the victim's record while any such link is active: the
  victim's consent, recorded by an officer of the case's force, is the scope;
- an admin manages the accounts of their force, reads figures of their force, and reads
  the record of a victim with a case in their force only with a recorded reason (there is
  no national staff role);
- a police record system (an API key) sees and creates the cases of its force, or of
  every force when its key was made without one (`api-keys create` says so).

`case_scope` (SQL) and `in_case_scope` (one loaded case) are the same rule, built from
`_scope_columns`: every list, count and export of cases for staff goes through them.

Every view, change and export of a victim's record writes an audit event; so does every
refusal, kept even when the refused request's own changes are rolled back. The web layer
turns a refusal into "not found", so record ids cannot be probed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from portal.models import AdvocateLink, ApiKey, Case, CaseVictim, Role, StaffUser, Victim
from portal.services import audit

log = logging.getLogger(__name__)


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
        return cls("staff", user.id, role=user.role, area=user.area, force=user.force)

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


def _scope_columns(who: Principal) -> dict[str, object] | None:
    """The values a case's columns must have for `who` to reach it through their force:
    {} every case (an API key made without a force), None no case this way."""
    if who.kind == "api":
        return {} if who.force is None else {"force": who.force}
    if who.kind != "staff" or not who.force:
        return None
    if who.role == Role.OFFICER:
        return {"force": who.force, "officer_id": who.id}
    if who.role == Role.SUPERVISOR:
        return {"force": who.force, "area": who.area} if who.area else None
    if who.role == Role.ADMIN:
        return {"force": who.force}
    return None  # an ISVA: through the victim's consent only


def case_scope(who: Principal) -> sa.ColumnElement[bool]:
    """The SQL condition on Case for the cases `who` reaches through their force (an
    officer's own, a supervisor's area, an admin's or a key's force); false for anyone
    else."""
    columns = _scope_columns(who)
    if columns is None:
        return sa.false()
    return sa.and_(sa.true(), *(getattr(Case, name) == value for name, value in columns.items()))


def in_case_scope(who: Principal, case: Case) -> bool:
    """`case_scope` for one loaded case."""
    columns = _scope_columns(who)
    return columns is not None and all(
        getattr(case, name) == value for name, value in columns.items()
    )


def police_case_scope(who: Principal) -> sa.ColumnElement[bool] | None:
    """`case_scope` for the officers and supervisors who work cases (their caseload and
    withdrawal queue); None for anyone else."""
    return case_scope(who) if who.is_staff(Role.OFFICER, Role.SUPERVISOR) else None


def oversight_scope(who: Principal) -> sa.ColumnElement[bool]:
    """The SQL condition on Case for the counts a supervisor or an admin oversees (every
    area of their force, figures only); false for anyone else."""
    if who.is_staff(Role.SUPERVISOR, Role.ADMIN) and who.force:
        return Case.force == who.force
    return sa.false()


def may_see_case(session: Session, who: Principal, case: Case) -> bool:
    if who.kind == "victim":
        return who.id in _victim_ids_of_case(session, case.id)
    if who.kind == "api" or who.is_staff(Role.OFFICER, Role.SUPERVISOR):
        return in_case_scope(who, case)
    if who.role == Role.ISVA:
        victims = _victim_ids_of_case(session, case.id)
        return any(
            link.victim_id in victims and link.case_id in (None, case.id)
            for link in _active_links(session, who.id)
        )
    return False


def may_see_victim(session: Session, who: Principal, victim_id: int, reason: str | None) -> bool:
    if who.kind == "victim":
        return who.id == victim_id
    if who.role == Role.ISVA:
        return bool(_active_links(session, who.id, victim_id))
    if who.role == Role.ADMIN and not (reason and reason.strip()):
        return False
    case_ids = session.exec(select(CaseVictim.case_id).where(CaseVictim.victim_id == victim_id))
    cases = (session.get(Case, case_id) for case_id in case_ids.all())
    if who.role == Role.ADMIN:
        return any(case is not None and in_case_scope(who, case) for case in cases)
    return any(case is not None and may_see_case(session, who, case) for case in cases)


#: session.info key: this transaction's refusals, written again if it is not committed.
_UNCOMMITTED_REFUSALS = "access.uncommitted_refusals"


def record_refusal(session: Session, who: Principal, subject: str | None, action: str) -> None:
    """Audit a refused attempt to see or change `subject` (kept: see `record_refused`)."""
    record_refused(session, actor=who.ref, subject=subject, action=action)


def record_refused(
    session: Session,
    *,
    actor: str,
    subject: str | None,
    action: str,
    why: str | None = None,
) -> None:
    """Audit a refusal whatever happens next: "access.denied" (`who` may not), or, with
    `why` (a code), "change.refused" (the record's state or the form refused the change).

    The event is appended in the caller's transaction, in order with the rest of the
    request's trail. Should that transaction end without a commit (a refused form rolled
    back with its changes, a view that aborts), `_keep_refusals` writes it again in a short
    transaction of its own: no caller has to remember to commit a refusal."""
    event = {
        "actor": actor,
        "action": "access.denied" if why is None else "change.refused",
        "subject": subject,
        "details": {"tried": action} if why is None else {"tried": action, "why": why},
    }
    audit.record(session, **event)
    session.info.setdefault(_UNCOMMITTED_REFUSALS, []).append(event)


@sa.event.listens_for(OrmSession, "after_commit")
def _refusals_committed(session: OrmSession) -> None:
    session.info.pop(_UNCOMMITTED_REFUSALS, None)


@sa.event.listens_for(OrmSession, "after_transaction_end")
def _keep_refusals(session: OrmSession, transaction) -> None:
    """After a rollback (or a close without commit): the refusals of the transaction, in a
    transaction of their own. The caller's transaction is over and holds no lock by now,
    so appending to the audit chain cannot wait on it."""
    if transaction.parent is not None:
        return
    refusals = session.info.pop(_UNCOMMITTED_REFUSALS, None)
    if not refusals:
        return
    try:
        with Session(session.get_bind()) as own:
            for event in refusals:
                audit.record(own, **event)
            own.commit()
    except sa.exc.SQLAlchemyError:
        # The database is gone (the rollback was probably why): nothing can be written.
        log.error("could not keep %d audited refusal(s)", len(refusals))


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


def forces_with_area(session: Session, area: str) -> set[str]:
    """The forces known to have an area of this name (from their staff and their cases)."""
    staff = sa.select(StaffUser.force).where(StaffUser.area == area, StaffUser.force.is_not(None))
    cases = sa.select(Case.force).where(Case.area == area)
    return set(session.execute(sa.union(staff, cases)).scalars())


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


def clients_of(session: Session, who: Principal) -> list[Victim]:
    """The victims who gave this ISVA access and have not taken it back. Their names are
    on the list, so each one listed is an audited view of that victim's record."""
    ids = sorted({link.victim_id for link in _active_links(session, who.id)})
    for victim_id in ids:
        audit.record(session, actor=who.ref, action="victim.listed", subject=f"victim:{victim_id}")
    return [session.get(Victim, victim_id) for victim_id in ids]
