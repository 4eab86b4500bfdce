"""The rule engine: a validated rule language and a pure, vectorized evaluator.

Pipeline (each step its own module)::

    document ──spec (shape)──compile (meaning)──► CompiledRule
    store rows ──(services)──► ObjectFrame  ──┐
    CompiledRule + ObjectFrame + now + Ledger ──engine.run_cycle──► CyclePlan ──► RuleDecision

* :mod:`.spec` / :mod:`.compile` / :mod:`.seed` — the two input shapes and their errors;
* :mod:`.windows`, :mod:`.expressions`, :mod:`.catalog` — the vocabulary;
* :mod:`.frame`, :mod:`.metrics`, :mod:`.operands`, :mod:`.evaluate` — columnar evaluation;
* :mod:`.propose`, :mod:`.budgets`, :mod:`.expand` — what matched rows would get;
* :mod:`.safeguards`, :mod:`.conflicts` — limits and cross-rule resolution (documented there);
* :mod:`.reasons` — why, as i18n message keys.
"""

from __future__ import annotations

from roasloop.decisions.rules.catalog import ActionType, Op
from roasloop.decisions.rules.compile import compile_rule, parse_rule, validate_document
from roasloop.decisions.rules.engine import Limits, run_cycle
from roasloop.decisions.rules.frame import FrameRow, ObjectFrame, build_frame, in_learning
from roasloop.decisions.rules.model import CompiledRule
from roasloop.decisions.rules.plan import CyclePlan, Effect, Outcome, RuleDecision
from roasloop.decisions.rules.reasons import reason
from roasloop.decisions.rules.safeguards import Ledger, PastExecution
from roasloop.decisions.rules.seed import is_seed_shape, seed_document

__all__ = [
    "ActionType",
    "CompiledRule",
    "CyclePlan",
    "Effect",
    "FrameRow",
    "Ledger",
    "Limits",
    "ObjectFrame",
    "Op",
    "Outcome",
    "PastExecution",
    "RuleDecision",
    "build_frame",
    "compile_rule",
    "in_learning",
    "is_seed_shape",
    "parse_rule",
    "reason",
    "run_cycle",
    "seed_document",
    "validate_document",
]
