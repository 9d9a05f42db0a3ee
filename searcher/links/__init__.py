"""Links stage: where provisions of different documents share wording (diffs: :mod:`searcher.diff`).

Runs beside the index build (provisions -> link texts -> ``links.json`` in the generation) and
serves the provision page ("Also in"), the search badge, ``/compare``, ``/links`` and
``searcher links``. Three parts: :mod:`.text` (what is compared, and every measure of a pair),
:mod:`.detect` (the kinds of link and finding them all) and :mod:`.store` (the stored links and
every view of them).
"""
from .detect import (BOILERPLATE_PROVISIONS, KINDS, Link, PairMeasure, Passage, compute_links, corpus_key, document_key, link_kind,
                     measure, similar_pairs)
from .store import LINKS_FILE, LINKS_FORMAT, PAIR_SORTS, LinkIndex, LinkView, compare_url, load_links, save_links
from .text import (MIN_SHARED, SIMILARITY, MatchText, is_punctuation, is_similar, levenshtein, link_text,
                   match_text, metadata_span, shared_passages, similarity, similarity_percent)

__all__ = ["BOILERPLATE_PROVISIONS", "KINDS", "LINKS_FILE", "LINKS_FORMAT", "MIN_SHARED", "PAIR_SORTS", "SIMILARITY", "Link",
           "LinkIndex", "LinkView", "MatchText", "PairMeasure", "Passage", "compare_url", "compute_links", "corpus_key", "document_key", "is_punctuation",
           "is_similar", "levenshtein", "link_kind", "link_text", "load_links", "match_text", "measure", "metadata_span",
           "save_links", "shared_passages", "similar_pairs", "similarity", "similarity_percent"]
