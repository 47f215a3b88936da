"""Families kept in the database: brought up to date after an import or a staff edit.

``refresh_families`` is the one entry point. It compares what the family rows remember
(``FamilyMember``: each definition's key, names and MinHash signature when it was last grouped)
with the definitions present now, signs only the new or changed ones, and hands the difference
to ``catalog.core.families.regroup``, which recomputes only the families a change can reach.
Those families are described again (copies, scores) and rewritten; every other row stays.
It runs inside the caller's transaction, so the families change with the catalog or not at all.
"""

from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from ..core.families import describe_family, grouping, signatures
from ..models import Definition, Family, FamilyMember
from ..selectors.families import core_members


def sign_bodies(bodies):
    """``{body: Signature}``: what an import signs before its transaction, so that signing
    (about 0.6 ms a body) never holds the catalog's write lock."""
    return {body: signatures.signature(body) for body in set(bodies)}


def refresh_families(changed=(), signed=None):
    """Regroup after the definitions with these pks were created or changed (their text, name
    or slug), and after any definition went missing, came back or was deleted. ``signed`` holds
    signatures made beforehand by ``sign_bodies``; a body not in it is signed here.

    Returns the ``Regrouping`` (``families``: keys of the families rewritten; ``removed``).
    """
    changed, signed = set(changed), signed or {}
    with transaction.atomic():
        present = {
            pk: (f"{collection}/{kind}/{slug}", kind, collection, name, slug)
            for pk, kind, collection, name, slug in Definition.objects.filter(missing=False).values_list(
                "pk", "kind", "collection__slug", "name", "slug"
            )
        }
        stored = (
            FamilyMember.objects.values_list(
                "definition", "key", "kind", "collection", "name", "slug", "signature", "shingles", "scheme",
                "family__key", "first_imported",
            )
        )  # fmt: skip
        previous, deletes, kept, first_seen, old_signatures = [], [], set(), {}, {}
        for definition, key, kind, collection, name, slug, signature, shingles, scheme, family, first in stored:
            signature = bytes(signature)
            previous.append(grouping.Entry(key, kind, collection, name, slug, signature, shingles, family))
            old_signatures[key] = (signature, shingles)
            current = present.get(definition)
            if current is None or current[0] != key:
                deletes.append(key)  # gone, missing, or renamed to another key
            elif definition in changed or scheme != signatures.SCHEME or (name, slug) != current[3:]:
                pass  # re-signed below
            else:
                kept.add(definition)
            if definition is not None:
                first_seen[definition] = first
        upsert_ids = [pk for pk in present if pk not in kept]
        bodies = dict(Definition.objects.filter(pk__in=upsert_ids).values_list("pk", "body"))
        upserts, fresh = [], {}
        for pk in upsert_ids:
            key, kind, collection, name, slug = present[pk]
            found = signed.get(bodies[pk]) or signatures.signature(bodies[pk])
            fresh[pk] = found
            upserts.append(grouping.Entry(key, kind, collection, name, slug, found.values, found.shingles))
        regrouping = grouping.regroup(previous, upserts, deletes)
        _write(regrouping, deletes, present, fresh, first_seen, old_signatures)
    return regrouping


def _write(regrouping, deletes, present, signed, first_seen, old_signatures):
    """Rewrite the families ``regrouping`` lists, their members' rows, and drop the removed."""
    pk_of = {value[0]: pk for pk, value in present.items()}
    member_keys = [k for keys in regrouping.families.values() for k in keys]
    ids = [pk_of[k] for k in member_keys]
    cores = core_members(ids, {pk: first_seen[pk] for pk in ids if pk in first_seen})
    existing = {f.key: f for f in Family.objects.filter(key__in=list(regrouping.families))}
    # Members of rewritten families (and rows whose definition left) are written afresh.
    FamilyMember.objects.filter(key__in=[*member_keys, *deletes]).delete()
    FamilyMember.objects.filter(definition__in=ids).delete()  # its previous key, when renamed
    Family.objects.filter(key__in=[k for k in regrouping.removed if k not in regrouping.families]).delete()

    def signature_of(pk, key):
        found = signed.get(pk)
        return (found.values, found.shingles) if found else old_signatures[key]

    # The members carry their signatures, so describing a family never signs a body again.
    for pk, core in cores.items():
        values, shingles = signature_of(pk, core.key)
        cores[pk] = replace(core, signature=values, shingles=shingles)
    rows, copy_of, new_families, old_families = [], {}, [], []
    for key, keys in regrouping.families.items():
        members = [cores[pk_of[k]] for k in keys]
        described = describe_family(key, members, regrouping.links.get(key, ()))
        family = existing.get(key) or Family(key=key)
        family.kind, family.name, family.size = described.kind, described.name, described.size
        family.versions, family.similarity = described.versions, described.similarity
        family.collections = len({m.collection for m in members})
        family.links = [[link.source, link.target, link.similarity] for link in described.links]
        (old_families if family.pk else new_families).append(family)
        for position, listed in enumerate(described.members):
            pk = pk_of[listed.key]
            core = cores[pk]
            rows.append(
                FamilyMember(
                    definition_id=pk,
                    family=family,
                    key=listed.key,
                    kind=core.kind,
                    collection=core.collection,
                    name=core.name,
                    slug=core.slug,
                    signature=core.signature,
                    shingles=core.shingles,
                    scheme=signatures.SCHEME,
                    sha256=core.sha256,
                    first_imported=core.first_imported,
                    copy_similarity=listed.copy_similarity,
                    copied_by=listed.copied_by,
                    score=listed.score,
                    score_reasons=list(listed.score_reasons),
                    position=position,
                )
            )
            if listed.copy_of:
                copy_of[listed.key] = listed.copy_of
    # SQLite and PostgreSQL both set the primary keys of bulk-created rows, which members need.
    Family.objects.bulk_create(new_families, batch_size=500)
    fields = ["kind", "name", "size", "versions", "similarity", "collections", "links", "updated_at"]
    now = timezone.now()
    for family in old_families:
        family.updated_at = now
    Family.objects.bulk_update(old_families, fields, batch_size=500)
    for row in rows:
        row.family_id = row.family.pk
    FamilyMember.objects.bulk_create(rows, batch_size=500)
    if copy_of:
        wanted = set(copy_of) | set(copy_of.values())
        ids_by_key = dict(FamilyMember.objects.filter(key__in=wanted).values_list("key", "pk"))
        updates = [FamilyMember(pk=ids_by_key[k], copy_of_id=ids_by_key[o]) for k, o in copy_of.items()]
        FamilyMember.objects.bulk_update(updates, ["copy_of"], batch_size=500)
