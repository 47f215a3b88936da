"""Guarded YAML: a safe loader that refuses aliases and deep nesting, and values made storable as JSON.

The strict read of a frontmatter and the lenient reader's entry-by-entry reads both go
through ``load``, so no YAML the parser touches can expand a bomb or exhaust the stack.
"""

import base64
import datetime
import math

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode
from yaml.resolver import Resolver

from .problems import reject

try:  # libyaml's parser is ten times faster than the pure-Python one.
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    CParser = None

MAX_YAML_DEPTH = 20


class _Refused(Exception):
    """Raised inside the loader for YAML that is valid but unsafe to expand."""

    def __init__(self, code, message, mark):
        super().__init__(message)
        self.code, self.message, self.mark = code, message, mark


class _GuardedComposer(Composer):
    """A composer that refuses aliases to defined anchors and bounds the nesting depth.

    Refusing every alias is what makes "billion laughs" harmless; frontmatter has no need
    for them. An alias to an undefined anchor (``**bold**``, ``tools: *``) is left to the
    usual composer error, which sends the file to the lenient reader instead.
    """

    def __init__(self):
        super().__init__()
        self.depth = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            if event.anchor in self.anchors:
                raise _Refused(
                    "yaml-alias", "The frontmatter uses YAML aliases (*name), which are refused.", event.start_mark
                )
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise _Refused("yaml-too-deep", f"The frontmatter nests deeper than {MAX_YAML_DEPTH} levels.", mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


if CParser is not None:

    class _SafeLoader(_GuardedComposer, CParser, SafeConstructor, Resolver):
        """libyaml's parser with the guarded Python composer and the safe constructor.

        ``CSafeLoader`` composes in C, where deep nesting overflows the C stack (a
        segfault, not an exception); composing in Python keeps the guards in charge.
        """

        def __init__(self, stream):
            CParser.__init__(self, stream)
            _GuardedComposer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

else:  # pragma: no cover - depends on how PyYAML was built

    class _SafeLoader(_GuardedComposer, yaml.SafeLoader):
        """The pure-Python safe loader with the guarded composer."""


# Errors that YAML input can provoke in the safe constructor besides YAMLError
# (an impossible date such as 2024-13-45 raises ValueError).
LOAD_ERRORS = (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError)


def load(text, first_line):
    """Safe-load one YAML document. Returns ``(data, duplicate_keys)``; raises Rejected."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        duplicates = _duplicate_keys(node, first_line)
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        line = first_line + exc.mark.line if exc.mark is not None else None
        raise reject(exc.code, exc.message, line) from None
    except yaml.MarkedYAMLError as exc:
        # The libyaml in recent PyYAML wheels (6.0.4 here) has a nesting limit of its own, which
        # its scanner can reach ahead of the composer: the same refusal, not a reason to read leniently.
        if exc.problem != "exceeded maximum nesting depth":
            raise
        line = first_line + exc.problem_mark.line if exc.problem_mark is not None else None
        raise reject("yaml-too-deep", f"The frontmatter nests deeper than {MAX_YAML_DEPTH} levels.", line) from None
    finally:
        loader.dispose()
    return data, duplicates


def _duplicate_keys(node, first_line):
    if not isinstance(node, MappingNode):
        return []
    seen, duplicates = set(), []
    for key_node, _ in node.value:
        if isinstance(key_node, ScalarNode):
            if key_node.value in seen:
                duplicates.append((key_node.value, first_line + key_node.start_mark.line))
            seen.add(key_node.value)
    return duplicates


def json_safe(value):
    """Make YAML values storable as JSON while keeping their types where JSON has them."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        # YAML's "\0" escape makes a NUL, which PostgreSQL refuses in text and JSON alike.
        return value.replace("\x00", "")
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {_json_key(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((json_safe(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return str(value)


def _json_key(key):
    if isinstance(key, str):
        return key.replace("\x00", "")
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    safe = json_safe(key)
    return safe if isinstance(safe, str) else str(safe)
