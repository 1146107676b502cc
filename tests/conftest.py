from __future__ import annotations

import os
import tempfile

import pytest
from click.testing import CliRunner

# loaded knowledge is kept in a folder of the suite's own, never the user's
os.environ["DIAGNOSE_CACHE_DIR"] = tempfile.mkdtemp(prefix="diagnose-snapshots-")

import diagnose


@pytest.fixture(scope="session")
def kb() -> diagnose.KnowledgeBase:
    return diagnose.load()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
