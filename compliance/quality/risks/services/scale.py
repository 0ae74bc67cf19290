"""Setting the organisation's risk scale: the grid size and the level bands over the score.

The bands must cover every score from 1 to size² once: no gap, no overlap, in the order of
the levels (a higher level holds higher scores). Each refusal names the field it concerns."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, or_, select

from compliance.audit_trail.services import record
from compliance.core import tenancy
from compliance.core.db import utcnow
from compliance.core.errors import Conflict, DomainError
from compliance.core.extensions import db
from compliance.quality.risks import levels, rules
from compliance.quality.risks.labels import LEVEL_LABELS
from compliance.quality.risks.models import Risk, RiskBand, RiskScale
from compliance.quality.risks.services.common import current_scale, scale_row


def check_bands(size: int, bands: dict[str, tuple[int | None, int | None]]) -> list[levels.Band]:
    """The bands in use, in order, or a DomainError at the first field that is wrong."""
    if size not in levels.SIZES:
        raise DomainError(_("Choose a 3×3 or a 5×5 scale."), field="size")
    top, used = size * size, []
    for level in levels.LEVELS:
        low, high = bands.get(level, (None, None))
        if low is None and high is None:
            continue
        name = str(LEVEL_LABELS[level])
        if low is None or high is None:
            raise DomainError(_("Give both the first and the last score of %(level)s, or "
                                "neither.", level=name),
                              field=f"{level}_{'from' if low is None else 'to'}")
        if low > high:
            raise DomainError(_("%(level)s cannot end below the score it starts at.",
                                level=name), field=f"{level}_to")
        if low < 1 or high > top:
            raise DomainError(_("Scores run from 1 to %(top)d on a %(size)d×%(size)d scale.",
                                top=top, size=size),
                              field=f"{level}_{'from' if low < 1 else 'to'}")
        used.append(levels.Band(level, low, high))
    if not used:
        raise DomainError(_("Give at least one band."), field="low_from")
    expected_start = 1
    for band in used:
        name = str(LEVEL_LABELS[band.level])
        if band.low > expected_start:
            raise DomainError(_("%(level)s starts at %(start)d: scores %(first)d to %(last)d "
                                "would be in no band.", level=name, start=band.low,
                                first=expected_start, last=band.low - 1),
                              field=f"{band.level}_from")
        if band.low < expected_start:
            raise DomainError(_("%(level)s starts at %(start)d, inside the band before it "
                                "(which ends at %(end)d): bands may not overlap.", level=name,
                                start=band.low, end=expected_start - 1),
                              field=f"{band.level}_from")
        expected_start = band.high + 1
    if expected_start <= top:
        last = used[-1]
        raise DomainError(_("%(level)s ends at %(end)d: scores %(first)d to %(top)d would be "
                            "in no band.", level=str(LEVEL_LABELS[last.level]), end=last.high,
                            first=expected_start, top=top), field=f"{last.level}_to")
    return used


def _rated_above(organisation_id: int, size: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Risk).where(
        Risk.organisation_id == organisation_id, or_(
        Risk.likelihood > size, Risk.impact > size, Risk.residual_likelihood > size,
        Risk.residual_impact > size))) or 0


def set_scale(actor, *, size: int, bands: dict[str, tuple[int | None, int | None]],
              expected_version: int | None) -> levels.Scale:
    """Store the organisation's scale and bands (the first save creates them)."""
    rules.ensure_set_scale(actor)
    before = current_scale()
    if expected_version is None or expected_version != before.version:
        raise Conflict(_("Someone else changed the risk scale while you were editing it. "
                         "Reload the page and apply your change again."))
    used = check_bands(size, bands)
    organisation_id = tenancy.acting_organisation_id()
    if size < before.size and (count := _rated_above(organisation_id, size)):
        raise DomainError(ngettext(
            "%(num)d risk is rated above %(size)d: rate it again on the smaller scale first.",
            "%(num)d risks are rated above %(size)d: rate them again on the smaller scale "
            "first.", count, size=size), field="size")
    row = scale_row(organisation_id, for_update=True)
    if row is None:
        row = RiskScale(organisation_id=organisation_id, size=size)
        db.session.add(row)
    row.size, row.updated_by_id, row.updated_at = size, getattr(actor, "id", None), utcnow()
    db.session.execute(delete(RiskBand).where(RiskBand.organisation_id == organisation_id))
    db.session.add_all(RiskBand(organisation_id=organisation_id, level=b.level, low=b.low,
                                high=b.high) for b in used)
    db.session.flush()
    after = current_scale()
    record(actor, "risk_scale.update", "risk_scale", row.id, before=_snapshot(before),
           after=_snapshot(after))
    return after


def _snapshot(scale: levels.Scale) -> dict:
    return {"size": scale.size, "bands": {b.level: [b.low, b.high] for b in scale.bands}}
