"""Built-in stages, registered explicitly in :func:`builtin_registry`."""

from __future__ import annotations

from ..stage import StageRegistry
from .clean import CleanStage
from .dates import DatesStage
from .entities import EntitiesStage
from .events import EventsStage
from .language import LanguageStage
from .nlp import NlpStage
from .places import PlacesStage
from .quotes import QuotesStage
from .tags import TagsStage
from .tone import ToneStage

__all__ = [
    "CleanStage",
    "DatesStage",
    "EntitiesStage",
    "EventsStage",
    "LanguageStage",
    "NlpStage",
    "PlacesStage",
    "QuotesStage",
    "TagsStage",
    "ToneStage",
    "builtin_registry",
]


def builtin_registry() -> StageRegistry:
    """A registry holding every built-in stage, each built from :class:`Settings`."""
    registry = StageRegistry()
    registry.register("clean", CleanStage.from_settings)
    registry.register("language", lambda settings: LanguageStage())
    registry.register("nlp", NlpStage.from_settings)
    registry.register("entities", lambda settings: EntitiesStage())
    registry.register("dates", lambda settings: DatesStage())
    registry.register("places", PlacesStage.from_settings)
    registry.register(
        "events", lambda settings: EventsStage(gazetteer_extra=settings.gazetteer_extra or None)
    )
    registry.register("quotes", lambda settings: QuotesStage())
    registry.register("tags", TagsStage.from_settings)
    registry.register("tone", lambda settings: ToneStage())
    return registry
