"""Every action the code records has a translated name in the audit log."""

import re

from marketplace.applications.services import WORKFLOW as APPLICATION_WORKFLOW
from marketplace.audit.labels import ACTION_LABELS
from marketplace.organisations.services import WORKFLOW as ORGANISATION_WORKFLOW
from marketplace.placements.services import WORKFLOW as PLACEMENT_WORKFLOW
from marketplace.postings.services import WORKFLOW as POSTING_WORKFLOW
from tests.conftest import ROOT

# The first argument of audit.record(...): a literal, or 'a if condition else b' of two literals.
FIRST_ARGUMENT = re.compile(r'audit\.record\(\s*("[^"]+"(?:\s+if\s+\w+\s+else\s+"[^"]+")?)')


def recorded_actions() -> set[str]:
    actions = set()
    for source in (ROOT / "marketplace").rglob("*.py"):
        for argument in FIRST_ARGUMENT.findall(source.read_text(encoding="utf-8")):
            actions.update(re.findall(r'"([^"]+)"', argument))
    return actions


def workflow_actions() -> set[str]:
    """Each status a workflow can move to is recorded as '<object>.<status>' (a step that keeps
    the status records nothing)."""
    return {
        f"{name}.{target}"
        for name, edges in (
            ("organisation", ORGANISATION_WORKFLOW.edges),
            ("posting", POSTING_WORKFLOW.edges),
            ("application", APPLICATION_WORKFLOW.edges),
            ("placement", PLACEMENT_WORKFLOW.edges),
        )
        for source, targets in edges.items()
        for target in targets
        if target != source
    }


def test_every_workflow_step_has_a_label():
    assert workflow_actions() - set(ACTION_LABELS) == set()


def test_every_recorded_action_has_a_label():
    actions = recorded_actions()
    assert {"login.success", "site.created", "site.updated", "role.granted"} <= actions
    assert actions - set(ACTION_LABELS) == set()
