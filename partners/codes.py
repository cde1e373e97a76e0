"""Which metering point a partner's meter id names, and which it may write to.

Rules, for each meter id a partner sends (codes are compared without regard to case):

1. its meter map names the point (the map's target must exist);
2. an id outside ``CODE`` (1–64 letters, digits and ``. _ : -``) is refused;
3. a point with that code that the partner serves (its organization's, bound or mapped) is the one;
4. a partner that creates points on first sight writes to its own ``<partner>:<id>`` point, created in its
   organization when new — a space no other organization's code can be in, so a partner can neither take over a code
   another organization will use nor shadow one with a look-alike;
5. a point with that code that it does not serve is refused ("not served"); anything else is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from data.relational import partners as partners_repo
from data.relational.partners import PartnerRecord
from data.services import Services
from partners.config import PartnerConfig

CODE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
NAME_MAX = 200


@dataclass
class Resolved:
    """Meter id → our metering-point code, and meter id → why it is refused."""

    codes: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)


def own_code(slug: str, meter_id: str) -> str:
    """The code a partner's automatically created point gets."""
    return f"{slug}:{meter_id}"


def not_served(code: str) -> str:
    return (
        f"metering point {code!r} is not served by this partner: it may write only to its mapped points and those "
        "of its organization"
    )


def resolve(
    services: Services, partner: PartnerRecord, config: PartnerConfig, meter_ids: set[str], create: bool = True
) -> Resolved:
    """Apply the rules above to every meter id of a batch (``create=False``: a dry run creates nothing)."""
    out = Resolved()
    mapped = {m: config.meter_map[m] for m in meter_ids if m in config.meter_map}
    plain = {m for m in meter_ids - mapped.keys() if CODE.match(m)}
    for meter_id in meter_ids - mapped.keys() - plain:
        out.refused[meter_id] = (
            f"meter id {meter_id[:80]!r} is not a metering-point code: use 1–64 letters, digits and . _ : -"
        )
    own = {m: own_code(partner.slug, m) for m in plain} if config.auto_create_meters else {}
    wanted = set(mapped.values()) | plain | set(own.values())
    existing = partners_repo.existing_meter_codes(services.db, sorted(wanted))
    served = served_codes(services, config, set(existing.values()))
    for meter_id, target in mapped.items():
        code = existing.get(target.lower())
        if code is None:
            out.refused[meter_id] = f"unknown meter {meter_id!r}: its mapping names {target!r}, which does not exist"
        elif code in served:
            out.codes[meter_id] = code
        else:
            out.refused[meter_id] = not_served(code)
    new: list[str] = []
    for meter_id in plain:
        code = existing.get(meter_id.lower())
        if code is not None and code in served:
            out.codes[meter_id] = code
        elif meter_id in own and own[meter_id].lower() in existing:
            out.codes[meter_id] = existing[own[meter_id].lower()]
        elif meter_id in own and CODE.match(own[meter_id]):
            out.codes[meter_id] = own[meter_id]
            new.append(meter_id)
        elif meter_id in own:
            out.refused[meter_id] = f"meter id {meter_id!r} is too long for a code of this partner's own points"
        elif code is not None:
            out.refused[meter_id] = not_served(code)
        else:
            out.refused[meter_id] = (
                f"unknown meter {meter_id!r}: map it to a metering point or enable auto-create for this partner"
            )
    if new and create:
        partners_repo.create_metering_points(
            services.db,
            [own[m] for m in sorted(new)],
            config.organization_inn or "",
            config.timezone,
            names=[m[:NAME_MAX] for m in sorted(new)],
        )
        out.created = [own[m] for m in sorted(new)]
    return out


def served_codes(services: Services, config: PartnerConfig, codes: set[str]) -> set[str]:
    """Of these existing metering points, those the partner may write to: its mapped and bound points, and the points
    of the organization it serves. A partner never writes into another organization's history."""
    bound = {c.lower() for c in config.bound_codes()}
    return {c for c in codes if c.lower() in bound} | partners_repo.codes_of_organization(
        services.db, sorted(codes), config.organization_inn
    )
