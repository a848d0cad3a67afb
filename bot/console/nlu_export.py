"""Intent corrections as Rasa NLU training data, in the format of the files in `nlu_data/nlu/`.

```yaml
version: "3.1"

nlu:
  - intent: ask_price
    examples: |
      - how much for the blue lantern
```

Examples are kept on one line each (inner whitespace collapsed), deduplicated per intent
(case-insensitively), intents sorted. Square brackets and parentheses would read as Rasa
entity annotations (`[blue](colour)`), so they are replaced by spaces; the wording is
otherwise the customer's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ANNOTATION_CHARACTERS = re.compile(r"[\[\]()]")


def example_line(text: str) -> str:
    """One training example: a single line without entity-annotation characters."""
    return " ".join(_ANNOTATION_CHARACTERS.sub(" ", text).split())


def to_nlu_yaml(corrections: Iterable[tuple[str, str]]) -> str:
    """`(intent, text)` pairs as an NLU YAML document."""
    grouped: dict[str, dict[str, str]] = {}
    for intent, text in corrections:
        line = example_line(text)
        if line:
            grouped.setdefault(intent, {}).setdefault(line.casefold(), line)
    lines = [
        "# Intent corrections from the staff console. Review, then merge into nlu_data/nlu/.",
        'version: "3.1"',
        "",
        "nlu:" if grouped else "nlu: []",
    ]
    for intent in sorted(grouped):
        lines.append(f"  - intent: {intent}")
        lines.append("    examples: |")
        lines.extend(f"      - {example}" for example in grouped[intent].values())
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
