"""The per-batch step of a screen: ads in, their features, output lines and text sketch out (pure).

A batch is independent of every other: any engine may run it where it likes (in this process, in
worker processes, or as a Spark ``mapInPandas`` function over partitions of ads) and hand the
results, in order, to the grouping step (:func:`signaal.ads.screen.screen_features`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from signaal.ads.extract import extract
from signaal.ads.model import Ad, AdFeatures, Contact, IndicatorHit, Price, Span
from signaal.ads.resources import rules
from signaal.ads.textsim import Sketch, join_sketches, sketch

__all__ = ["BATCH", "BatchResult", "ad_line", "join_batches", "screen_batch", "sketch_features", "slim", "to_json"]

# Ads per batch. Small enough that a 5,000-ad dump splits evenly over two workers (5 batches of
# 1,000 went 3 to 2) and the first result comes early.
BATCH = 250


@dataclass(slots=True)
class BatchResult:
    """What the per-ad step learnt from a batch: features, one output line per ad, the sketch."""

    features: list[AdFeatures]
    lines: list[bytes]  # the ads.jsonl line of each ad (without its group labels), see ad_line
    texts: list[bytes]  # the ad as written (id, title, body, name, city, posted, url), one JSON line
    sketch: Sketch  # word shingles and MinHash signatures of the masked texts, in order


def screen_batch(ads: Sequence[Ad], region: str, *, keep_full: bool = False) -> BatchResult:
    """The per-ad step of one batch: every ad's features, output lines, and the batch's sketch.

    The features are slim (see :func:`slim`) unless ``keep_full``: spans and texts are in the
    output lines, and the grouping step needs neither.
    """
    full = [extract(ad, region) for ad in ads]
    lines = [to_json(ad_line(ad, f)) for ad, f in zip(ads, full, strict=True)]
    texts = [to_json(text_line(ad)) for ad in ads]
    sketched = sketch_features(full)  # from the word hashes, which slim features do not keep
    return BatchResult(full if keep_full else [slim(f) for f in full], lines, texts, sketched)


def sketch_features(feats: Sequence[AdFeatures]) -> Sketch:
    """The shingles and MinHash signatures of the ads' masked texts (the per-ad part of templates)."""
    tokens = [f.tokens if f.tokens is not None else np.zeros(0, dtype=np.uint32) for f in feats]
    lengths: npt.NDArray[np.int64] = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    flat = np.concatenate(tokens) if tokens else np.zeros(0, dtype=np.uint32)
    cfg = rules()["templates"]
    return sketch(flat, lengths, int(cfg["shingle_words"]), int(cfg["permutations"]))


def join_batches(parts: Sequence[Sketch]) -> Sketch:
    """The batches' sketches as one, in order."""
    return join_sketches(list(parts), int(rules()["templates"]["permutations"]))


def ad_line(ad: Ad, f: AdFeatures) -> dict[str, Any]:
    """What a screen says about one ad before grouping: contacts, names, city, language, hits."""
    return {
        "id": f.ad_id,
        "url": ad.url,
        "contacts": f.contact_keys,
        "names": f.names,
        "city": f.city,
        "language": f.language,
        "indicators": [h.as_dict() for h in f.indicators],
    }


def text_line(ad: Ad) -> dict[str, Any]:
    """The ad as written, for showing it with its evidence later without reading the dump again."""
    return {
        "id": ad.id,
        "title": ad.title,
        "body": ad.body,
        "name": ad.name,
        "city": ad.city,
        "posted": ad.posted,
        "url": ad.url,
    }


def to_json(value: Any) -> bytes:
    """Compact UTF-8 JSON of plain data; a lone surrogate (half an emoji) becomes "?"."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False).encode("utf-8", "replace")


_NO_SPAN = Span("", 0, 0, "")


def slim(f: AdFeatures) -> AdFeatures:
    """The features the grouping step needs, without spans, texts and word hashes.

    The grouping step reads no more than the first name and age, the contacts, hits, prices,
    city, language, date and the number of words. The masked text is kept on one line (white
    space made single spaces): the engine keeps it aside for the templates it shows, then drops it.
    """
    return AdFeatures(
        ad_id=f.ad_id,
        contacts=[Contact(c.kind, c.value, c.mode, None, c.own) for c in f.contacts],
        names=f.names[:1],
        ages=f.ages[:1],
        prices=[Price(p.amount, p.currency, p.unit) for p in f.prices],
        places=[],
        city=f.city,
        language=f.language,
        indicators=[IndicatorHit(h.id, _NO_SPAN, h.weight, h.counter) for h in f.indicators],
        posted=f.posted,
        n_tokens=f.n_tokens,
        masked_text=" ".join(f.masked_text.split()),
    )
