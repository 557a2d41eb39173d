"""Built-in stages, registered explicitly in :func:`builtin_registry`."""

from __future__ import annotations

from ..stage import StageRegistry
from .clean import CleanStage
from .dates import DatesStage
from .events import EventsStage
from .language import LanguageStage
from .nlp import NlpStage
from .places import PlacesStage

__all__ = [
    "CleanStage",
    "DatesStage",
    "EventsStage",
    "LanguageStage",
    "NlpStage",
    "PlacesStage",
    "builtin_registry",
]


def builtin_registry() -> StageRegistry:
    """A registry holding every built-in stage, each built from :class:`Settings`."""
    registry = StageRegistry()
    registry.register("clean", CleanStage.from_settings)
    registry.register("language", lambda settings: LanguageStage())
    registry.register("nlp", NlpStage.from_settings)
    registry.register("dates", lambda settings: DatesStage())
    registry.register("places", PlacesStage.from_settings)
    registry.register(
        "events", lambda settings: EventsStage(gazetteer_extra=settings.gazetteer_extra or None)
    )
    return registry
