"""A pack across an organisation and those below it (an overseer's, issue 14): each
organisation's whole records read acting for it and laid out as a section of their own, behind
a page naming it; the manifest lists the organisations, each with its own audit-trail head."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale

from compliance.core import tenancy
from compliance.core.pdf import html_to_pdf
from compliance.evidence import scope as scopes
from compliance.evidence.builder import assemble
from compliance.evidence.builder.collect import Collected, collect, css_string
from compliance.evidence.builder.digest import MANIFEST_NAME, sha256
from compliance.evidence.builder.run import Progress, org_name, stamp_documents
from compliance.installation import tree
from compliance.org.models import Organisation
from compliance.org.naming import organisation_name


@dataclass
class Member:
    """One organisation of the pack: what was read of it and its stamped documents."""

    organisation: Organisation
    depth: int
    name: str
    collected: Collected
    stamped: dict
    attachments: dict


def members_of(pack) -> list[tuple[Organisation, int]]:
    """The pack's top organisation and every one below it, in the tree's order."""
    ids = tree.subtree_ids([pack.scope_id])
    return [(o, depth) for o, depth in tree.ordered() if o.id in ids]


def _read(pack, progress: Progress) -> tuple[list[Member], list]:
    members, new_copies = [], []
    for organisation, depth in members_of(pack):
        # Each organisation read as its own people would read it, and nothing else.
        with tenancy.acting_for(organisation.id):
            name = organisation_name(pack.locale, organisation.id)
            scope = scopes.Scope("organisation", None, name)
            collected = collect(pack, name, scope)
            stamped, attachments, copies = stamp_documents(collected, name, progress)
        # Two organisations may hold the same document code: the embedded names say whose.
        attachments = {f"{organisation.code}_{n}": data for n, data in attachments.items()}
        members.append(Member(organisation, depth, name, collected, stamped, attachments))
        new_copies += copies
    return members, new_copies


def _files(member: Member) -> list[dict]:
    files = []
    for entry in member.collected.documents:
        record = assemble.file_record(
            entry, sha256(member.stamped[entry.revision_id]) if entry.is_pdf else None)
        if record["embedded_as"]:
            record["embedded_as"] = f"{member.organisation.code}_{record['embedded_as']}"
        files.append(record | {"organisation": member.organisation.code})
    return files


def _listing(member: Member) -> dict:
    head = member.collected.trail_head
    return {"id": member.organisation.id, "code": member.organisation.code,
            "name": member.name, "depth": member.depth, "counts": member.collected.counts,
            "trail_head": {"seq": head[0], "hash": head[1]} if head else None}


def _divider(pack, member: Member) -> bytes:
    return html_to_pdf(render_template(
        "pdf/evidence/organisation.html", pack=pack, org_name=member.name,
        organisation=member.organisation, counts=member.collected.counts,
        head=member.collected.trail_head, locale=pack.locale, css=css_string))


def _parts(pack, members: list[Member], titles: dict, progress: Progress) -> list:
    parts = []
    for member in members:
        code = member.organisation.code
        parts.append(assemble.Part("organisation", f"{member.name} ({code})",
                                   _divider(pack, member), organisation=code))
        own, _timings = assemble.render_parts(member.collected, titles, member.stamped,
                                              progress)
        for part in own:
            part.level, part.organisation = part.level + 1, code
        parts += own
    return parts


def build(pack, progress: Progress, release) -> tuple:
    """Build a pack across organisations; release() once the database is no longer needed."""
    with force_locale(pack.locale), tenancy.acting_for(pack.organisation_id):
        org = org_name(pack)
        members, new_copies = _read(pack, progress)
        files = [f for member in members for f in _files(member)]
        attachments = {n: d for member in members for n, d in member.attachments.items()}
        totals: dict[str, int] = {}
        for member in members:
            for key, count in member.collected.counts.items():
                totals[key] = totals.get(key, 0) + count
        overall = Collected(documents=[], counts=totals)
        manifest = assemble.base_manifest(pack, org, overall, files, attachments)
        manifest["organisations"] = [_listing(member) for member in members]
        manifest_html = render_template(
            "pdf/evidence/manifest.html", pack=pack, org_name=org, files=files, head=None,
            organisations=manifest["organisations"], manifest_name=MANIFEST_NAME,
            locale=pack.locale, css=css_string)
        release()
        titles = assemble.section_titles()
        parts = _parts(pack, members, titles, progress)
        parts.append(assemble.Part("manifest", titles["manifest"], html_to_pdf(manifest_html)))
        progress(88, "contents")
        front = assemble.front_matter(pack, org, titles, parts)
        data, extra = assemble.merge(pack, org, front, parts, attachments, manifest, progress)
    pages = front.pages + sum(p.pages for p in parts)
    built = assemble.Built(data=data, pages=pages, manifest=manifest,
                           manifest_sha256=sha256(extra["manifest_bytes"]))
    built.timings["generated_pages"] = front.pages + sum(
        p.pages for p in parts if p.entry is None)
    built.timings["organisations"] = len(members)
    return built, new_copies

