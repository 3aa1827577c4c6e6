"""The authors of an output in JATS 1.3: an ``<article-meta>`` fragment a journal's system can take.

What is written (JATS 1.3 Tag Library; JATS4R's recommendations on authors, affiliations, ORCID iDs
and CRediT)::

    <article-meta>
      <title-group><article-title>…</article-title></title-group>
      <contrib-group>
        <contrib contrib-type="author" corresp="yes">
          <contrib-id contrib-id-type="orcid">https://orcid.org/0000-0002-1825-0097</contrib-id>
          <name><surname>…</surname><given-names>…</given-names></name>
          <role vocab="credit" …>Methodology</role>        (the decision's own CRediT roles)
          <xref ref-type="aff" rid="aff1">1</xref>
          <xref ref-type="corresp" rid="cor1">*</xref>
        </contrib>
        <aff id="aff1"><label>1</label><institution>…</institution>, <city>…</city>,
          <country country="NG">Nigeria</country></aff>
      </contrib-group>
      <author-notes><corresp id="cor1"><label>*</label>Corresponding author: …</corresp></author-notes>
    </article-meta>

Affiliations are numbered as on the title page (:mod:`braingain.core.reports.authorship`) and
linked by ``xref``; the corresponding author carries ``corresp="yes"`` and an ``xref`` to the
``<corresp>`` note (JATS4R: both). A corresponding member who is not an author gets no note.

Validation. The tests validate every fragment against the JATS 1.3 DTD (Archiving and Interchange,
``JATS-archivearticle1-3-mathml3.dtd``) that Biopython ships on PyPI (package ``biopython``, a dev
dependency; ``Bio/Entrez/DTDs``). Registries looked at for a packaged DTD: PyPI (epijats,
jatsgenerator, docmaptools, jsuite, pmcgrab (only the NLM 2.0 article set), jats, litdown,
ojsgalleon, harvestingkit, pyjats: none), npm (jats-xml downloads the DTD from NCBI at run time;
jats-tags, jats-utils: none) and Debian (no JATS package). The writer does not need Biopython: before
writing, :func:`check` applies the Tag Library's rules for these elements (which children, in which
order and how many; ids unique; every ``rid`` naming an ``aff`` or ``corresp`` that exists; ISO
3166-1 country codes; ORCID iDs as https://orcid.org/ URIs) and :func:`article_meta` refuses a
fragment that breaks one (:class:`JatsError`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable

from braingain.core.countries import COUNTRIES
from braingain.core.errors import quote
from braingain.core.reports.authorship import JournalAuthorship
from braingain.integrations.errors import IntegrationError
from braingain.integrations.reports.authorship_formats import (
    CORRESPONDING_MARK,
    corresponding_email,
    corresponding_line,
)

JATS_VERSION = "1.3"
CORRESP_ID = "cor1"

_ORCID_URI = re.compile(r"https://orcid\.org/\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_NAME_PARTS = ("surname", "given-names", "prefix", "suffix")
_CONTRIB_LATER = frozenset(
    {"degrees", "address", "aff", "aff-alternatives", "author-comment", "bio", "email", "etal",
     "ext-link", "fn", "on-behalf-of", "role", "uri", "xref", "x"}
)  # fmt: skip
_GROUP_OTHERS = _CONTRIB_LATER - {"degrees"}
_AFF_CHILDREN = frozenset(
    {"label", "institution", "institution-wrap", "addr-line", "city", "state", "postal-code",
     "country", "email", "ext-link", "uri", "fax", "phone"}
)  # fmt: skip
_XREF_TARGETS = {"aff": "aff", "corresp": "corresp"}


class JatsError(IntegrationError):
    """The JATS fragment would break a rule of the Tag Library; nothing is written."""


def _aff_id(number: int) -> str:
    return f"aff{number}"


def article_meta(report: JournalAuthorship, *, with_email: bool = False) -> str:
    """The JATS ``<article-meta>`` fragment of ``report`` as text (UTF-8 XML with its declaration).

    Raises :class:`JatsError` when the output has no authors (a ``<contrib-group>`` needs at least
    one) or when :func:`check` finds a fault."""
    if not report.authors:
        raise JatsError(
            f"{report.output.id} has no authors yet, so there is no JATS author list to write",
            hint="see the Missing for submission list: braingain report authorship PROJECT --output "
            f"{report.output.id}",
        )
    meta = ET.Element("article-meta")
    titles = ET.SubElement(meta, "title-group")
    ET.SubElement(titles, "article-title").text = report.output.title
    # The decision's own contributor group (names, CRediT roles, joint first) with what a journal adds.
    group = ET.fromstring(report.decision.jats())  # noqa: S314 (braingain's own XML, not a stranger's)
    meta.append(group)
    corresp_note = report.corresponding is not None and report.corresponding.is_author
    for author, contrib in zip(report.authors, group.findall("contrib"), strict=True):
        if author.orcid is not None:
            orcid = ET.Element("contrib-id", {"contrib-id-type": "orcid"})
            orcid.text = author.orcid.uri
            contrib.insert(0, orcid)
        if author.corresponding:
            contrib.set("corresp", "yes")
        for number in author.affiliations:
            ET.SubElement(contrib, "xref", {"ref-type": "aff", "rid": _aff_id(number)}).text = str(number)
        if author.corresponding and corresp_note:
            ET.SubElement(
                contrib, "xref", {"ref-type": "corresp", "rid": CORRESP_ID}
            ).text = CORRESPONDING_MARK
    for numbered in report.affiliations:
        place = numbered.affiliation
        aff = ET.SubElement(group, "aff", {"id": _aff_id(numbered.number)})
        ET.SubElement(aff, "label").text = str(numbered.number)
        ET.SubElement(aff, "institution").text = place.institution
        ET.SubElement(aff, "city").text = place.city
        ET.SubElement(aff, "country", {"country": place.country.code}).text = place.country.name
        aff.find("institution").tail = ", "  # type: ignore[union-attr]
        aff.find("city").tail = ", "  # type: ignore[union-attr]
    if corresp_note and report.corresponding is not None:
        notes = ET.SubElement(meta, "author-notes")
        corresp = ET.SubElement(notes, "corresp", {"id": CORRESP_ID})
        ET.SubElement(corresp, "label").text = CORRESPONDING_MARK
        line = corresponding_line(report, with_email=False)
        email = corresponding_email(report.corresponding) if with_email else None
        if email:
            corresp[-1].tail = f"Corresponding author: {line[:-1]}. Email: "
            ET.SubElement(corresp, "email").text = email
        else:
            corresp[-1].tail = f"Corresponding author: {line}"
    faults = check(meta)
    if faults:
        raise JatsError(
            f"the JATS author list of {report.output.id} would not be valid: " + "; ".join(faults),
            hint="this is a bug in braingain: please report it with the command you ran",
        )
    ET.indent(meta)
    for mixed in (*meta.iter("aff"), *meta.iter("corresp")):  # text with elements in it: kept on one line
        mixed.text = None
        mixed[-1].tail = (mixed[-1].tail or "").strip() or None
        for child in mixed[:-1]:
            child.tail = child.tail.strip() + " " if child.tail and child.tail.strip() else None
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(meta, encoding="unicode") + "\n"


def check(meta: ET.Element) -> list[str]:
    """The faults of an ``<article-meta>`` fragment as :func:`article_meta` writes it, against the JATS
    1.3 Tag Library's rules for the elements it uses (see the module's docstring); empty when none."""
    faults: list[str] = []
    if meta.tag != "article-meta":
        return [f"the root is <{meta.tag}>, not <article-meta>"]
    tags = [child.tag for child in meta]
    expected = ["title-group", *(["contrib-group"] * tags.count("contrib-group"))]
    if "author-notes" in tags:
        expected.append("author-notes")
    if tags != expected or "contrib-group" not in tags:
        faults.append(
            f"<article-meta> holds {_said(tags)}: expected a title-group, contrib-groups, author-notes"
        )
    for group in meta.iter("contrib-group"):
        faults.extend(_contrib_group(group))
    for notes in meta.iter("author-notes"):
        inside = [c.tag for c in notes if c.tag not in ("label", "title")]
        if not inside or any(t not in ("corresp", "fn", "p") for t in inside):
            faults.append(f"<author-notes> holds {_said(inside)}: expected corresp, fn or p, at least one")
    ids = Counter(e.get("id") for e in meta.iter() if e.get("id") is not None)
    faults.extend(f"the id {quote(i)} is used {n} times" for i, n in sorted(ids.items()) if n > 1)
    targets = {e.get("id"): e.tag for e in meta.iter() if e.get("id") is not None}
    for xref in meta.iter("xref"):
        kind, rid = xref.get("ref-type"), xref.get("rid")
        wanted = _XREF_TARGETS.get(kind or "")
        if wanted is None:
            faults.append(f"an <xref> has ref-type {quote(kind)}: expected aff or corresp")
        elif targets.get(rid) != wanted:
            faults.append(f"an <xref ref-type={quote(kind)}> points to {quote(rid)}, which is no <{wanted}>")
    return faults


def _contrib_group(group: ET.Element) -> list[str]:
    faults: list[str] = []
    tags = [c.tag for c in group]
    contribs = tags.count("contrib")
    if not contribs or tags[:contribs] != ["contrib"] * contribs:
        faults.append(f"<contrib-group> holds {_said(tags)}: expected one or more contrib first")
    strange = sorted({t for t in tags[contribs:] if t not in _GROUP_OTHERS})
    if strange:
        faults.append(f"<contrib-group> may not hold {_said(strange)}")
    for contrib in group.findall("contrib"):
        faults.extend(_contrib(contrib))
    for aff in group.findall("aff"):
        faults.extend(_aff(aff))
    return faults


def _contrib(contrib: ET.Element) -> list[str]:
    faults: list[str] = []
    if contrib.get("corresp") not in (None, "yes", "no"):
        faults.append(f"corresp={quote(contrib.get('corresp'))} on a <contrib>: expected yes or no")
    tags = [c.tag for c in contrib]
    ids = 0
    while ids < len(tags) and tags[ids] == "contrib-id":
        ids += 1
    rest = tags[ids:]
    if not rest or rest[0] != "name" or "name" in rest[1:] or "contrib-id" in rest:
        faults.append(f"<contrib> holds {_said(tags)}: expected contrib-ids, then one name, then the rest")
    strange = sorted({t for t in rest[1:] if t not in _CONTRIB_LATER})
    if strange:
        faults.append(f"<contrib> may not hold {_said(strange)}")
    for ident in contrib.findall("contrib-id"):
        if not ident.get("contrib-id-type"):
            faults.append("a <contrib-id> has no contrib-id-type")
        if ident.get("contrib-id-type") == "orcid" and not _ORCID_URI.fullmatch(ident.text or ""):
            faults.append(f"the ORCID iD {quote(ident.text)} is not https://orcid.org/ and 16 characters")
    for name in contrib.findall("name"):
        parts = [c.tag for c in name]
        order = [p for p in _NAME_PARTS if p in parts]
        if parts != order or len(set(parts)) != len(parts) or not ({"surname", "given-names"} & set(parts)):
            faults.append(
                f"<name> holds {_said(parts)}: expected surname, given-names, prefix, suffix once each"
            )
        if any(not (c.text or "").strip() for c in name):
            faults.append("a part of a <name> is empty")
    return faults


def _aff(aff: ET.Element) -> list[str]:
    faults: list[str] = []
    if not aff.get("id"):
        faults.append("an <aff> has no id")
    tags = [c.tag for c in aff]
    strange = sorted({t for t in tags if t not in _AFF_CHILDREN})
    if strange:
        faults.append(f"<aff> may not hold {_said(strange)}")
    if "label" in tags[1:]:
        faults.append("an <aff>'s label must come first")
    for place in aff.findall("country"):
        code = place.get("country")
        if code is not None and code not in COUNTRIES:
            faults.append(f"country={quote(code)} is not an ISO 3166-1 alpha-2 code")
    return faults


def _said(tags: Iterable[str]) -> str:
    listed = ", ".join(tags)
    return f"({listed})" if listed else "nothing"
