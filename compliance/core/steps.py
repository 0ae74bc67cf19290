"""Where am I: the shared model of a record's life as a row of steps (drawn by
templates/_macros/steps.html), with the current one, what stands before the next one and who
must act. Each domain's steps.py fills it in for its records; this module knows no domain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A step not reached yet is "todo" in the markup (templates/_macros/steps.html).
DONE, CURRENT, AHEAD = "done", "current", "todo"


@dataclass(frozen=True)
class Step:
    """One step of the path: its code, its label, and whether it is done, current or to do."""

    key: str
    label: str
    state: str


@dataclass(frozen=True)
class Progress:
    """A record's place on its path. `blockers`: what must happen before the next step;
    `actors`: who must act now; `outcome`: why the record left the path (withdrawn,
    cancelled), None while it is on it."""

    title: str
    steps: tuple[Step, ...]
    blockers: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    outcome: str | None = None

    @property
    def current(self) -> Step | None:
        """The step the record is at (None when it left the path)."""
        return next((s for s in self.steps if s.state == CURRENT), None)

    @property
    def finished(self) -> bool:
        """Whether the record reached the last step of its path."""
        return bool(self.steps) and self.steps[-1].state == CURRENT


def progress(title: str, path: Sequence[tuple[str, str]], at: str, *,
             blockers: Iterable[str] = (), actors: Iterable[str] = (),
             left_after: str | None = None, outcome: str | None = None) -> Progress:
    """A record at step `at` of `path` ((key, label) pairs in order). A record that left the
    path (`outcome` given) has every step up to `left_after` done and none current."""
    keys = [key for key, _label in path]
    if outcome is not None:
        reached = keys.index(left_after) if left_after in keys else -1
        steps = tuple(Step(key, str(label), DONE if i <= reached else AHEAD)
                      for i, (key, label) in enumerate(path))
        return Progress(title, steps, outcome=outcome)
    here = keys.index(at) if at in keys else 0
    steps = tuple(Step(key, str(label), DONE if i < here else CURRENT if i == here else AHEAD)
                  for i, (key, label) in enumerate(path))
    return Progress(title, steps, tuple(blockers), tuple(_unique(actors)))


def _unique(names: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return seen
