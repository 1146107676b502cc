"""A knowledge N times the size of the shipped one, for timing how the engine grows.

Every rule file is copied until the rules number N times the shipped count. A copy is
its rule with a new id and one more condition no ticket meets (error_code 99999); its
examples still hold, as examples of a rule that does not fire. The copies load, compile
and sit in the same modules as their originals: per ticket they cost whatever the engine
spends on rules that cannot fire.

    python benchmarks/grow.py 16 OUT_DIR     # writes OUT_DIR/rules, OUT_DIR/knowledge
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import diagnose

NEVER = {"fact": "error_code", "op": "equals", "value": 99999}


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)


def _copy(rule: dict[str, Any], copy: int) -> dict[str, Any]:
    copied = dict(rule, id=f"{rule['id']}.x{copy}", when=[*rule.get("when", []), NEVER])
    examples = rule["example"] if isinstance(rule["example"], list) else [rule["example"]]
    copied["example"] = [dict(example, fires=False) for example in examples]
    return copied


def grow(times: int, out: Path) -> tuple[Path, Path]:
    """Write the grown rules and the shipped knowledge under ``out``."""
    base = diagnose.load()
    rules, knowledge = out / "rules", out / "knowledge"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(base.rules_dir, rules)
    shutil.copytree(base.knowledge_dir, knowledge)
    files = {path: tomllib.loads(path.read_text(encoding="utf-8"))["rule"]
             for path in sorted(base.rules_dir.glob("*.toml"))}  # fmt: skip
    in_files = sum(len(found) for found in files.values())
    wanted = len(base.knowledge.rules) * times - len(base.knowledge.rules)
    copies = -(-wanted // in_files)  # rounded up
    for copy in range(1, copies + 1):
        for path, found in files.items():
            text = "".join("[[rule]]\n" + "".join(f"{_key(k)} = {_value(v)}\n"
                                                  for k, v in _copy(rule, copy).items()) + "\n"
                           for rule in found)  # fmt: skip
            (rules / f"{path.stem}_x{copy}.toml").write_text(text, encoding="utf-8")
    return rules, knowledge


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("times", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    rules, knowledge = grow(args.times, args.out)
    grown = diagnose.load(rules, knowledge)
    print(f"{len(grown.knowledge.rules)} rules in {rules}")


if __name__ == "__main__":
    main()
