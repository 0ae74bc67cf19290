"""The risk scale as plain data: likelihood × impact on a 3×3 or 5×5 grid, and the level
bands over their product (the score). No database and no Flask: the services store a scale,
the queries and the heat map read one, and a PDF can draw it alike."""

from __future__ import annotations

from dataclasses import dataclass

# In rising order: a band of a later level holds higher scores than one of an earlier level.
LEVELS = ("low", "medium", "high", "very_high")
SIZES = (3, 5)


@dataclass(frozen=True)
class Band:
    """The scores (inclusive) that make a level."""

    level: str
    low: int
    high: int

    def holds(self, score: int) -> bool:
        """Whether the score falls in this band."""
        return self.low <= score <= self.high


@dataclass(frozen=True)
class Scale:
    """The organisation's scale: grid size and the bands covering 1 … size²."""

    size: int
    bands: tuple[Band, ...]
    # The stored row's version (0 while the organisation keeps the default).
    version: int = 0

    @property
    def top(self) -> int:
        """The highest score on this grid."""
        return self.size * self.size

    @property
    def levels(self) -> list[str]:
        """The levels in use, lowest first."""
        return [band.level for band in self.bands]

    def level_of(self, score: int | None) -> str | None:
        """The level of a score (None for no score, or one outside every band)."""
        if score is None:
            return None
        return next((band.level for band in self.bands if band.holds(score)), None)

    def band(self, level: str) -> Band | None:
        """The band of a level, if it is in use."""
        return next((band for band in self.bands if band.level == level), None)


# What an organisation has until its coordinator sets its own.
DEFAULT_BANDS = {
    5: (Band("low", 1, 4), Band("medium", 5, 9), Band("high", 10, 16),
        Band("very_high", 17, 25)),
    3: (Band("low", 1, 2), Band("medium", 3, 4), Band("high", 5, 9)),
}
DEFAULT = Scale(5, DEFAULT_BANDS[5])


def score(likelihood: int | None, impact: int | None) -> int | None:
    """likelihood × impact, or None while either is missing."""
    if not likelihood or not impact:
        return None
    return likelihood * impact
