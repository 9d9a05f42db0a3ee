"""searcher: bilingual full-text search over the Greater Bay Area development plans.

Pipeline: corpus (parse) -> normalize -> analysis -> index -> search -> links -> web.
"""

__version__ = "0.1.0"
