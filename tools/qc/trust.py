"""Classify link domains into Next-A1 trust tiers with a shipped, extendable registry."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from schemas.enums import TrustTier

__all__ = ["DEFAULT_REGISTRY", "TrustRegistry", "domain_of", "load_registry"]

DEFAULT_REGISTRY = Path(__file__).with_name("trust_domains.yaml")
TIER_ORDER = tuple(TrustTier)


def domain_of(url: str) -> str:
    """Return the lower-case host of a URL without a leading 'www.'."""
    host = urlsplit(url.strip()).hostname or ""
    return host.lower().rstrip(".").removeprefix("www.")


def _matches(host: str, entry: str) -> bool:
    return host == entry or host.endswith("." + entry)


@dataclass(frozen=True)
class TrustRegistry:
    """Known domains per trust tier, plus user-generated-content domains."""

    tiers: dict[TrustTier, frozenset[str]]
    ugc: frozenset[str]

    def tier_of(self, url_or_host: str) -> TrustTier | None:
        """Return the tier of a URL or host, the most specific registry entry winning."""
        host = domain_of(url_or_host) if "/" in url_or_host else url_or_host.lower()
        best: tuple[int, TrustTier] | None = None
        for tier, entries in self.tiers.items():
            for entry in entries:
                if _matches(host, entry) and (best is None or len(entry) > best[0]):
                    best = (len(entry), tier)
        return best[1] if best else None

    def is_ugc(self, url_or_host: str) -> bool:
        """Return True for user-generated-content domains."""
        host = domain_of(url_or_host) if "/" in url_or_host else url_or_host.lower()
        return any(_matches(host, entry) for entry in self.ugc)


@lru_cache(maxsize=8)
def load_registry(path: Path | None = None) -> TrustRegistry:
    """Load a trust registry YAML (tier name -> domains, plus 'ugc'), by default the shipped one."""
    raw = yaml.safe_load((path or DEFAULT_REGISTRY).read_text(encoding="utf-8")) or {}
    tiers = {
        tier: frozenset(str(d).strip().lower().lstrip("*.") for d in raw.get(tier.value) or [])
        for tier in TIER_ORDER
    }
    ugc = frozenset(str(d).strip().lower().lstrip("*.") for d in raw.get("ugc") or [])
    return TrustRegistry(tiers=tiers, ugc=ugc)
