"""The ``Stage`` protocol and the stage registry.

A stage is a named object that declares which article fields it reads
(``requires``) and writes (``assigns``), takes only plain JSON-able settings in
``__init__`` (so a worker process can rebuild it from config), loads heavy
resources once in :meth:`Stage.setup`, and processes batches of articles in
place. Stages are registered explicitly (see ``tidings.stages.builtin_registry``),
never as an import side effect.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from .errors import RegistryError

if TYPE_CHECKING:
    from .article import Article
    from .publishers import SourceHomes
    from .settings import Settings


class Stage:
    """Base class of pipeline stages.

    Subclasses set ``name``, ``requires`` and ``assigns`` and override either
    :meth:`process` (one article) or :meth:`process_batch` (many at once, e.g.
    to batch a neural model). Exceptions escape to the pipeline, which records
    them on the article or re-raises them, depending on the error mode.
    """

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ()

    def setup(self) -> None:
        """Load heavy resources (models, indexes). Called once, before any batch."""

    def remember(self, publishers: SourceHomes) -> None:
        """Start from what earlier runs learnt about publishers (kept by the store; see
        :mod:`tidings.publishers`). Stages that learn nothing about them ignore it."""

    def process(self, article: Article) -> None:
        """Process one article in place."""
        raise NotImplementedError(
            f"stage {self.name!r} implements neither process nor process_batch"
        )

    def process_batch(self, articles: Sequence[Article]) -> None:
        """Process a batch of articles in place; the default calls :meth:`process` on each."""
        for article in articles:
            self.process(article)

    @property
    def batched(self) -> bool:
        """True when the subclass processes whole batches itself."""
        return type(self).process_batch is not Stage.process_batch

    def models(self) -> dict[str, str]:
        """Names and versions of the models this stage uses (recorded on every article)."""
        return {}


StageFactory = Callable[["Settings"], Stage]


class StageRegistry:
    """Maps stage names to factories that build a stage from :class:`Settings`."""

    def __init__(self) -> None:
        self._factories: dict[str, StageFactory] = {}

    def register(self, name: str, factory: StageFactory) -> None:
        """Register ``factory`` under ``name``; a name can be registered once."""
        if name in self._factories:
            raise RegistryError(f"stage {name!r} is already registered")
        self._factories[name] = factory

    def create(self, name: str, settings: Settings) -> Stage:
        """Build the stage registered as ``name``.

        Raises:
            RegistryError: no stage has that name; the message lists the valid names.
        """
        try:
            factory = self._factories[name]
        except KeyError:
            valid = ", ".join(sorted(self._factories)) or "(none)"
            raise RegistryError(f"unknown stage {name!r}; registered stages: {valid}") from None
        return factory(settings)

    @property
    def names(self) -> list[str]:
        return sorted(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories
