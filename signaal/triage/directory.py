"""The regional contact directory: canonical contacts with national and regional entries.

Parsing works on plain mappings (already read from YAML), so it does no I/O; errors name the
file and the entry. Names, notes and hours are kept in Dutch and English; a lookup returns the
contact in one language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Protocol

from signaal.errors import CatalogueError, Problem
from signaal.triage.texts import Text, parse_text

__all__ = [
    "CONTACT_IDS",
    "REGION_KINDS",
    "Contact",
    "ContactEntry",
    "Directory",
    "Region",
    "RegionLike",
    "RegionalTable",
    "parse_directory",
    "stale_entries",
]

#: The canonical contact ids; rules may only name these.
CONTACT_IDS: tuple[str, ...] = (
    "emergency-112",
    "veilig-thuis",
    "police-avim",
    "labour-inspectorate",
    "comensha",
    "zorgcoordinator",
    "nidos",
    "ind",
    "kmar",
    "meld-misdaad-anoniem",
    "riec",
    "municipality",
    "child-protection",
)
REGION_KINDS: tuple[str, ...] = ("police_unit", "care_region", "municipality")
_CONTACT_KEYS = frozenset({"name", "phone", "url", "hours", "note", "source", "checked"})
# A number a person can dial: digits with spaces or dashes, optionally a leading +; never a placeholder.
_PHONE = re.compile(r"\+?[0-9](?:[0-9 -]*[0-9])?")
#: An entry not checked for this long is reported by ``signaal catalogue check``.
MAX_AGE = timedelta(days=365)


class RegionLike(Protocol):
    """Anything with the three region codings (the catalogue's RegionRef fits)."""

    @property
    def police_unit(self) -> str: ...

    @property
    def municipality(self) -> str | None: ...

    @property
    def care_region(self) -> str | None: ...


@dataclass(frozen=True)
class Region:
    """A resolved region: police unit (= RIEC region), municipality and care region."""

    police_unit: str
    municipality: str | None = None
    care_region: str | None = None
    #: The names of the codings as written ("'s-Hertogenbosch"), as (coding, name) pairs.
    names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Contact:
    """Whom to call: name, number and where that number comes from."""

    id: str
    name: str
    phone: str | None = None
    url: str | None = None
    hours: str | None = None
    note: str = ""
    source: str = ""
    region: str | None = None  # None = the national entry
    checked: date | None = None  # when the number and name were last checked against the source

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "name": self.name,
            "phone": self.phone,
            "url": self.url,
            "hours": self.hours,
            "note": self.note,
            "source": self.source,
            "region": self.region,
            "checked": self.checked.isoformat() if self.checked else None,
        }


@dataclass(frozen=True)
class ContactEntry:
    """A directory entry as stored: name, note and hours in Dutch and English."""

    id: str
    name: Text
    phone: str | None = None
    url: str | None = None
    hours: Text | None = None
    note: Text = field(default_factory=lambda: Text("", ""))
    source: str = ""
    region: str | None = None  # None = the national entry
    checked: date | None = None

    def localized(self, lang: str) -> Contact:
        """The entry as a contact in ``lang``."""
        return Contact(
            id=self.id,
            name=self.name(lang),
            phone=self.phone,
            url=self.url,
            hours=self.hours(lang) if self.hours else None,
            note=self.note(lang),
            source=self.source,
            region=self.region,
            checked=self.checked,
        )


@dataclass(frozen=True)
class RegionalTable:
    """Regional entries of one contact, keyed by one region coding."""

    contact_id: str
    by: str
    entries: Mapping[str, ContactEntry] = field(default_factory=dict)
    name_template: Text | None = None
    source: str = ""
    checked: date | None = None


@dataclass(frozen=True)
class Directory:
    """The contacts for every canonical id, with regional entries where they differ."""

    national: Mapping[str, ContactEntry]
    regional: Mapping[str, RegionalTable] = field(default_factory=dict)

    @property
    def police_units(self) -> frozenset[str]:
        """Police units known to the directory's regional tables."""
        return frozenset(key for table in self.regional.values() if table.by == "police_unit" for key in table.entries)

    def lookup(self, contact_id: str, region: RegionLike | None, lang: str = "nl") -> Contact:
        """The contact for a region in ``lang``: its regional entry, else a templated one, else national."""
        return self.entry(contact_id, region).localized(lang)

    def entry(self, contact_id: str, region: RegionLike | None) -> ContactEntry:
        """The stored entry for a region (both languages): regional, else templated, else national."""
        if contact_id not in self.national:
            raise CatalogueError(f"unknown contact {contact_id!r}; known: {', '.join(CONTACT_IDS)}")
        base = self.national[contact_id]
        table = self.regional.get(contact_id)
        if table is None or region is None:
            return base
        key = getattr(region, table.by, None)
        if not key:
            return base
        if key in table.entries:
            return table.entries[key]
        if table.name_template:
            # A templated entry names the region but has no number of its own: it never borrows the
            # national number of the contact (that would ring someone else), it points to the website.
            return replace(
                base,
                name=table.name_template.format_map({"region": region_name(region, table.by, key)}),
                phone=None,
                region=key,
                source=table.source or base.source,
                checked=table.checked or base.checked,
            )
        return base

    def entries(self) -> list[ContactEntry]:
        """Every stored entry, national first, then regional by contact and region."""
        out = [self.national[cid] for cid in CONTACT_IDS if cid in self.national]
        for table in self.regional.values():
            out.extend(table.entries[k] for k in sorted(table.entries))
        return out


def region_name(region: Any, by: str, key: str) -> str:
    """The name of a region as written ('s-Hertogenbosch), when the region carries names; else its key."""
    names = dict(getattr(region, "names", ()) or ())
    return str(names.get(by) or key)


def stale_entries(directory: Directory, today: date, max_age: timedelta = MAX_AGE) -> list[ContactEntry]:
    """Entries whose number was last checked longer ago than ``max_age`` (or never)."""
    return [e for e in directory.entries() if e.checked is None or today - e.checked > max_age]


def _contact(
    cid: str, raw: Any, file: str, where: str, problems: list[Problem], region: str | None
) -> ContactEntry | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(f"{where}: expected a mapping", file=file, field=cid))
        return None
    unknown = set(raw) - _CONTACT_KEYS
    if unknown:
        problems.append(Problem(f"{where}: unknown keys {sorted(unknown)}", file=file, field=cid))
    if not raw.get("name"):
        problems.append(Problem(f"{where}: missing name", file=file, field=cid))
        return None
    if not raw.get("source"):
        problems.append(Problem(f"{where}: missing source", file=file, field=cid))
    if not raw.get("phone") and not raw.get("url"):
        problems.append(Problem(f"{where}: needs a phone or a url", file=file, field=cid))
    phone = None if raw.get("phone") is None else str(raw["phone"]).strip()
    if phone is not None and not _PHONE.fullmatch(phone):
        problems.append(
            Problem(
                f"{where}: {phone!r} is not a number to dial; leave phone out when it is not known",
                file=file,
                field=cid,
            )
        )
    checked = _checked(raw.get("checked"), where, file, cid, problems)
    # A plain name is a proper name, the same in both languages; notes and hours need nl and en.
    name = parse_text(raw["name"], where, "name", file, problems, plain_ok=True)
    note = parse_text(raw.get("note"), where, "note", file, problems, required=False)
    hours = parse_text(raw.get("hours"), where, "hours", file, problems, required=False)
    if name is None:
        return None
    return ContactEntry(
        id=cid,
        name=name,
        phone=phone,
        url=raw.get("url"),
        hours=hours,
        note=note or Text("", ""),
        source=str(raw.get("source") or ""),
        region=region,
        checked=checked,
    )


def _checked(raw: Any, where: str, file: str, cid: str, problems: list[Problem]) -> date | None:
    """The last-checked date of an entry (YYYY-MM-DD); every entry needs one."""
    if isinstance(raw, date):
        return raw
    if raw is None:
        problems.append(
            Problem(f"{where}: missing checked (the date the entry was last checked)", file=file, field=cid)
        )
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        problems.append(Problem(f"{where}: checked must be a date (YYYY-MM-DD), got {raw!r}", file=file, field=cid))
        return None


def _borrowed(national: Mapping[str, ContactEntry], regional: Mapping[str, RegionalTable], file: str) -> list[Problem]:
    """Entries showing another contact's number: a number rings the organisation it belongs to."""
    owner: dict[str, str] = {}
    for cid, entry in national.items():
        if entry.phone and entry.phone not in ("112",):
            owner.setdefault(entry.phone.replace(" ", "").replace("-", ""), cid)
    problems = []
    entries: list[tuple[str, str | None, ContactEntry]] = [(cid, None, e) for cid, e in national.items()]
    entries += [(cid, key, e) for cid, t in regional.items() for key, e in t.entries.items()]
    for cid, key, entry in entries:
        number = (entry.phone or "").replace(" ", "").replace("-", "")
        if number and owner.get(number, cid) != cid:
            where = f"contacts.{cid}" if key is None else f"regional.{cid}.{key}"
            problems.append(
                Problem(
                    f"{where}: {entry.phone} is the number of {owner[number]}; leave phone out", file=file, field=cid
                )
            )
    return problems


def parse_directory(data: Any, file: str = "directory.yaml", base: Directory | None = None) -> Directory:
    """Validate a directory mapping; with ``base``, the mapping overrides only the entries it lists."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise CatalogueError(f"{file}: expected a mapping at the top level")
    national: dict[str, ContactEntry] = dict(base.national) if base else {}
    regional: dict[str, RegionalTable] = dict(base.regional) if base else {}
    for cid, raw in (data.get("contacts") or {}).items():
        if cid not in CONTACT_IDS:
            problems.append(Problem(f"unknown contact id {cid!r}", file=file, field=cid))
            continue
        contact = _contact(cid, raw, file, f"contacts.{cid}", problems, None)
        if contact:
            national[cid] = contact
    for cid, raw in (data.get("regional") or {}).items():
        if cid not in CONTACT_IDS:
            problems.append(Problem(f"regional: unknown contact id {cid!r}", file=file, field=cid))
            continue
        if not isinstance(raw, Mapping) or raw.get("by") not in REGION_KINDS:
            problems.append(
                Problem(f"regional.{cid}: 'by' must be one of {', '.join(REGION_KINDS)}", file=file, field=cid)
            )
            continue
        old = regional.get(cid)
        entries: dict[str, ContactEntry] = dict(old.entries) if old and old.by == raw["by"] else {}
        for key, entry in (raw.get("entries") or {}).items():
            contact = _contact(cid, entry, file, f"regional.{cid}.{key}", problems, str(key))
            if contact:
                entries[str(key)] = contact
        template = old.name_template if old else None
        if raw.get("name_template") is not None:
            where = f"regional.{cid}"
            template = parse_text(raw["name_template"], where, "name_template", file, problems, plain_ok=True)
        regional[cid] = RegionalTable(
            contact_id=cid,
            by=str(raw["by"]),
            entries=entries,
            name_template=template,
            source=str(raw.get("source", old.source if old else "")),
            checked=_checked(raw["checked"], f"regional.{cid}", file, cid, problems)
            if raw.get("checked") is not None
            else (old.checked if old else None),
        )
    problems += _borrowed(national, regional, file)
    missing = [cid for cid in CONTACT_IDS if cid not in national]
    if missing:
        problems.append(Problem(f"missing contacts: {', '.join(missing)}", file=file))
    if problems:
        raise CatalogueError(f"{file}: invalid contact directory", problems)
    return Directory(national=national, regional=regional)
