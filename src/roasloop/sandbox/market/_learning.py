"""The learning-phase state machine of one ad group (market_benchmarks §3, §7 learning).

learning ──(exit_events within window_days of the last reset)──► active
learning ──(window passes without exit)──► limited ──(exit_events in a rolling window)──► active
any ──(significant edit)──► learning
"""

from __future__ import annotations

from roasloop.sandbox.market._params import AdGroupParams
from roasloop.sandbox.market._state import ACTIVE, LEARNING, LIMITED, LearningState
from roasloop.sandbox.market.scenario import Learning


def start_day(state: LearningState, day: int, config: Learning) -> None:
    """Start-of-day transition: a learning window that ran out becomes "learning limited"."""
    if state.status == LEARNING and day - state.reset_day >= config.window_days:
        state.status = LIMITED


def projected_status(state: LearningState, day: int, config: Learning) -> str:
    """The status at the start of a future ``day`` if nothing else happens before it."""
    if state.status == LEARNING and day - state.reset_day >= config.window_days:
        return LIMITED
    return state.status


def cvr_multiplier(status: str, progress: float, params: AdGroupParams) -> float:
    """CVR multiplier: the launch penalty fades linearly with events; limited keeps a loss."""
    if status == LEARNING:
        return 1.0 - params.learning_penalty * (1.0 - min(1.0, progress))
    if status == LIMITED:
        return 1.0 - params.limited_penalty
    return 1.0


def progress(state: LearningState, config: Learning) -> float:
    return state.events_since_reset / config.exit_events


def record_events(state: LearningState, day: int, events: int, config: Learning) -> None:
    """End-of-day update with the optimisation events the platform received for ``day``."""
    state.events_since_reset += events
    if events:
        state.recent.append([day, events])
    state.recent = [row for row in state.recent if row[0] > day - config.window_days]
    if state.status == LEARNING and state.events_since_reset >= config.exit_events:
        state.status = ACTIVE
    elif state.status == LIMITED and sum(n for _, n in state.recent) >= config.exit_events:
        state.status = ACTIVE


def reset(state: LearningState, day: int) -> bool:
    """Back to learning from ``day``; returns whether this counts as a reset.

    An edit on or before the day learning last (re)started changes nothing: the ad group has
    not delivered since, so there is nothing to forget (this is how launch-day setup edits,
    such as adding the first ads, stay free).
    """
    if day <= state.reset_day:
        return False
    state.status = LEARNING
    state.reset_day = day
    state.events_since_reset = 0
    state.recent = []
    state.resets += 1
    return True
