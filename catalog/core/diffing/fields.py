"""Frontmatter compared field by field on normalized values, and name sets compared as sets."""

import json

from .model import FieldDiff, SetDiff

SET_NAMES = ("tools", "skills", "commands", "collaborators")
# Frontmatter fields whose value is a set of names, written either as "A, B" or [A, B].
SET_LIKE_FIELDS = frozenset({"tools", "allowed-tools", "disallowed-tools", "allowedtools", "disallowedtools", "skills"})


def field_text(value):
    """A frontmatter value as a reader sees it in a diff: strings as written, YAML's lists, maps
    and other scalars as JSON (``true``, ``[...]``); ``None`` where a side lacks the field."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def diff_fields(left, right):
    fields = []
    for name in [*left, *(k for k in right if k not in left)]:
        if name not in right:
            status = "removed"
        elif name not in left:
            status = "added"
        elif _field_key(name, left[name]) == _field_key(name, right[name]):
            status = "same"
        else:
            status = "changed"
        fields.append(FieldDiff(name, status, left.get(name), right.get(name)))
    return tuple(fields)


def _field_key(name, value):
    """A string equal for two values that mean the same, however they were written."""
    set_like = name.casefold().replace("_", "-") in SET_LIKE_FIELDS
    normalized = _normalize_set(value) if set_like else _normalize(value)
    # JSON keeps True apart from 1 and compares mappings regardless of key order.
    return json.dumps(normalized, sort_keys=True, ensure_ascii=False, default=str)


def _normalize(value):
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {str(k): _normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalize(v) for v in value]
    return value


def _normalize_set(value):
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, (list, tuple, set, frozenset)):
        parts = [p for item in value for p in (item.split(",") if isinstance(item, str) else [item])]
    else:
        # An OpenCode tool map says which tools are switched off, so it stays a map.
        return _normalize(value)
    keys = {json.dumps(_normalize(p), sort_keys=True, default=str) for p in parts}
    keys.discard('""')
    return sorted(keys)


def diff_set(name, left, right):
    def ordered(names):
        return tuple(sorted(names, key=lambda n: (n.casefold(), n)))

    return SetDiff(name, ordered(left - right), ordered(right - left), ordered(left & right))
