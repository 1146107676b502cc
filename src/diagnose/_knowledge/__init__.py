"""Step 1 of the pipeline: the rule and knowledge files, read, validated and checked.

``load`` reads the folders (``files``), validates each item (``schema``), checks the items
against each other (``checks``) and builds the code catalog's rules (``catalog``) into one
``Knowledge`` (``model``); ``write`` writes counted frequencies back.
"""

from .checks import KNOWLEDGE_CHECKS, RULE_CHECKS, KnowledgeCheck, RuleCheck
from .files import Unreadable, read_toml
from .load import default_dirs, load_knowledge
from .model import (
    BOOL_LABELS,
    DERIVED_FACTS,
    TICKET_FIELDS,
    Domain,
    Knowledge,
    LoadedRule,
    parse_value,
    show_value,
)
from .schema import ExampleSpec
from .write import write_frequencies

__all__ = [
    "BOOL_LABELS",
    "DERIVED_FACTS",
    "KNOWLEDGE_CHECKS",
    "RULE_CHECKS",
    "TICKET_FIELDS",
    "Domain",
    "ExampleSpec",
    "Knowledge",
    "KnowledgeCheck",
    "LoadedRule",
    "RuleCheck",
    "Unreadable",
    "default_dirs",
    "load_knowledge",
    "parse_value",
    "read_toml",
    "show_value",
    "write_frequencies",
]
