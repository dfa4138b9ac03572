"""Ad screening: telefonist hubs, templated ads, movement and risk language in sex-ad dumps.

The core is pure: :func:`extract` is the per-ad step, :func:`screen_features` the grouping step
(contacts, templates, hubs, movement, scores), :func:`render_report` the HTML. Reading files and
writing results happens in :mod:`signaal.ingest.ads` and :mod:`signaal.services.ads`.
"""

from signaal.ads.extract import extract
from signaal.ads.grouping import ComponentFinder, UnionFind
from signaal.ads.model import Ad, AdFeatures, Contact, IndicatorHit, Price, Span
from signaal.ads.screen import Cluster, ScreenResult, screen_features
from signaal.ads.textsim import token_hashes

__all__ = [
    "Ad",
    "AdFeatures",
    "Cluster",
    "ComponentFinder",
    "Contact",
    "IndicatorHit",
    "Price",
    "ScreenResult",
    "Span",
    "UnionFind",
    "extract",
    "screen_features",
    "token_hashes",
]
