"""Command line: thin click wrappers over the library (corpus, index, search, links, web)."""
from __future__ import annotations

import json
import sys

import click

from . import config
from .corpus import Corpus, load_corpus
from .engine import DEFAULT_ENGINE, ENGINES
from .errors import SearcherError


def _fail(error: SearcherError) -> click.ClickException:
    return click.ClickException(str(error))


def _corpus(corpus_option: str | None) -> Corpus:
    try:
        return load_corpus(config.corpus_dir(corpus_option))
    except SearcherError as error:
        raise _fail(error) from None


def _emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


corpus_option = click.option("--corpus", "corpus_path", default=None, metavar="DIR",
                             help="Corpus folder (default: $SEARCHER_CORPUS or ./corpus).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """searcher: full-text search over the Greater Bay Area development plans."""


@main.command()
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def docs(corpus_path: str | None, as_json: bool) -> None:
    """List the documents in the catalog."""
    corpus = _corpus(corpus_path)
    rows = [dict(doc.entry.to_dict(), provisions=len(doc.provisions)) for doc in corpus.documents]
    if as_json:
        _emit_json(rows)
        return
    for row in rows:
        click.echo(f"{row['id']:<22} {row['script']:<5} {row['provisions']:>5}  {row['title_hans']}  {row['date']}")


def _print_outline(nodes: list[dict], depth: int = 0) -> None:
    for node in nodes:
        click.echo(f"{'  ' * depth}{node['number']} {node['title']}  [{node['id']}]".rstrip())
        _print_outline(node["children"], depth + 1)


@main.command()
@click.argument("doc_id")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of an indented tree.")
def outline(doc_id: str, corpus_path: str | None, as_json: bool) -> None:
    """Print the outline (chapters, sections, parts, clauses, boxes) of DOC_ID."""
    corpus = _corpus(corpus_path)
    document = corpus.document(doc_id)
    if document is None:
        known = ", ".join(d.id for d in corpus.documents)
        raise click.ClickException(f"No document {doc_id!r}. Known documents: {known}.")
    if as_json:
        _emit_json(document.outline())
    else:
        _print_outline(document.outline())
    for warning in document.warnings:
        click.echo(f"note: {warning}", err=True)  # a Notice prints in English


@main.command()
@click.argument("provision_id")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(provision_id: str, corpus_path: str | None, as_json: bool) -> None:
    """Print one provision (e.g. zhuxi-metro/3.1.p4) with its heading path."""
    corpus = _corpus(corpus_path)
    provision = corpus.provision(provision_id)
    if provision is None:
        raise click.ClickException(
            f"No provision {provision_id!r}. Ids look like DOC/PATH; `searcher outline DOC` lists a document's parts.")
    if as_json:
        _emit_json(provision.to_dict())
        return
    document = corpus.document(provision.doc_id)
    click.echo(" › ".join([document.entry.title] + [f"{s.label} {s.title}".strip() for s in provision.path]))
    click.echo(f"[{provision.id}] {provision.label}".rstrip())
    click.echo(provision.text)
    if provision.units:
        click.echo(f"lead: {'、'.join(provision.units.lead)}; participating: {'、'.join(provision.units.participating)}")
    for note in provision.notes:
        footnote = corpus.provision(note)
        if footnote:
            click.echo(f"note {footnote.label}: {footnote.text}")


@main.command()
@corpus_option
@click.option("--index", "index_path", default=None, metavar="DIR",
              help="Index folder (default: $SEARCHER_INDEX or ./instance/index).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
@click.option("--watch/--no-watch", default=True, show_default=True,
              help="Re-index by itself when files in the corpus folder change.")
def serve(corpus_path: str | None, index_path: str | None, host: str, port: int, threads: int,
          watch: bool) -> None:
    """Serve the web app with waitress, building the index on first start."""
    import logging

    import waitress

    from .analysis import jieba_tokenizer
    from .web import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    jieba_tokenizer()  # load the dictionary once, before the first request
    corpus_dir, index_dir = config.corpus_dir(corpus_path), config.index_dir(index_path)
    try:
        app = create_app({"SEARCHER_CORPUS": str(corpus_dir), "SEARCHER_INDEX": str(index_dir)})
    except SearcherError as error:
        raise _fail(error) from None
    if watch:
        from .watch import CorpusWatcher

        CorpusWatcher(corpus_dir, index_dir).start()
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)")
    waitress.serve(app, host=host, port=port, threads=threads)


@main.command()
@corpus_option
@click.option("--index", "index_path", default=None, metavar="DIR",
              help="Index folder holding links.json (default: $SEARCHER_INDEX or ./instance/index).")
@click.option("--doc", "doc_a", default=None, metavar="DOC", help="List the links of this document ...")
@click.option("--other", "doc_b", default=None, metavar="DOC", help="... with this one only.")
@click.option("--kind", type=click.Choice(["same", "similar", "shared"]), default=None, help="Only this kind of link.")
@click.option("--min-length", type=click.IntRange(min=0), default=0, metavar="N",
              help="Only links sharing at least N characters.")
@click.option("--boilerplate", is_flag=True, help="Count and list boilerplate links too (left out by default).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def links(corpus_path, index_path, doc_a, doc_b, kind, min_length, boilerplate, as_json) -> None:
    """Print the document x document matrix of links, or the links of --doc (with --other).

    Kinds, similarity and boilerplate are defined in README.md (Shared wording) and on /help.
    """
    from .index import live_generation
    from .links import LINKS_FILE, LinkIndex, compute_links, load_links, similarity_percent
    corpus = _corpus(corpus_path)
    root = config.index_dir(index_path)
    stored = root / (live_generation(root) or "") / LINKS_FILE
    try:
        index = load_links(stored) if stored.exists() else LinkIndex(
            compute_links(corpus), [d.id for d in corpus.documents])
        if not stored.exists():
            click.echo(f"note: no {stored}; links computed from the corpus (`searcher build` stores them).", err=True)
        if doc_a is None and doc_b is None:
            matrix = index.matrix(kind, min_length, boilerplate)
            if as_json:
                return _emit_json(matrix)
            width = max(map(len, matrix["docs"])) + 2
            click.echo(" " * width + "".join(f"{d:>{width}}" for d in matrix["docs"]))
            for d in matrix["docs"]:
                click.echo(f"{d:<{width}}" + "".join(f"{matrix['cells'][d][o] or '·':>{width}}" for o in matrix["docs"]))
            return
        if doc_a is None:
            raise click.ClickException("--other needs --doc: `searcher links --doc A --other B`.")
        others = [doc_b] if doc_b else [d for d in index.docs if d != doc_a]
        found = [link for other in others for link in index.between(doc_a, other, kind, min_length, boilerplate)]
    except SearcherError as error:
        raise _fail(error) from None
    if as_json:
        return _emit_json([link.to_dict() for link in found])
    for link in found:
        click.echo(f"{link.a} ~ {link.b}  {link.kind}  similarity {similarity_percent(link.similarity)}%"
                   f"  {link.shared_chars} chars shared"
                   + ("  [boilerplate]" if link.boilerplate else ""))
        provision = corpus.provision(link.a)
        if provision is not None and link.spans_a:
            start, end = max(link.spans_a, key=lambda s: s[1] - s[0])
            click.echo(f"    {provision.text[start:end]}")


index_option = click.option("--index", "index_path", default=None, metavar="DIR",
                            help="Index folder (default: $SEARCHER_INDEX or ./instance/index).")


@main.command()
@corpus_option
@index_option
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help=f"Search engine of the new index (default: the live index's, else {DEFAULT_ENGINE}).")
def build(corpus_path: str | None, index_path: str | None, engine: str | None) -> None:
    """Build the search index (and the cross-document links) from the corpus.

    The new index is built beside the old one and switched in atomically: a running server
    keeps answering from the old index until the new one is complete.
    """
    from .index import build_index

    corpus = _corpus(corpus_path)
    root = config.index_dir(index_path)
    try:
        info = build_index(corpus, root, progress=True, engine=engine)
    except SearcherError as error:
        raise _fail(error) from None
    click.echo(f"Indexed {info.provisions} provisions of {len(info.documents)} documents and "
               f"{info.links} cross-document links in {info.seconds:.1f} s: {info.path} "
               f"({info.size_bytes / 1e6:.1f} MB, {info.engine}).")


def _marked(text: str, spans: list[list[int]]) -> str:
    out, position = [], 0
    for start, end in spans:
        out += [text[position:start], click.style(text[start:end], bold=True, fg="red")]
        position = end
    return "".join(out + [text[position:]])


@main.command("search")
@click.argument("query")
@corpus_option
@index_option
@click.option("--doc", "docs", multiple=True, metavar="ID", help="Only this document (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead of a table.")
@click.option("--all", "every", is_flag=True, help="Print every hit, not one page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page number.")
@click.option("--size", type=click.IntRange(1, 100), default=20, show_default=True, help="Hits per page.")
def search_command(query: str, corpus_path, index_path, docs, as_json, every, page, size) -> None:
    """Search for QUERY (e.g. 湾区, "粤港澳 大湾区", 前海 OR 南沙, 湾区 -深圳, unit:发展改革委)."""
    from .index import ensure_index
    from .search import Engine

    corpus = _corpus(corpus_path)
    root = config.index_dir(index_path)
    filters = {"doc": list(docs)} if docs else None
    try:
        engine = Engine(corpus, root, ensure_index(corpus, root, build_if_needed=True, progress=True))
        results = engine.search_all(query, filters) if every else engine.search(query, filters, page, size)
    except SearcherError as error:
        raise _fail(error) from None
    if as_json:
        _emit_json(results.to_dict())
        return
    for warning in results.warnings:
        click.echo(f"note: {warning}", err=True)
    counts = ", ".join(f"{doc} {n}" for doc, n in results.facets["doc"].items())
    click.echo(f"{results.total} hits, {results.occurrences} occurrences, for {results.interpreted}"
               + (f" ({counts})" if counts else ""))
    first = (results.page - 1) * results.size
    for number, hit in enumerate(results.hits, first + 1):
        click.echo(f"\n{number:>4}. {hit.id}  {hit.citation}  [{hit.score:g}]")
        ellipsis_before = "…" if hit.snippet_start else ""
        ellipsis_after = "…" if hit.snippet_start + len(hit.snippet) < len(hit.text) else ""
        click.echo(f"      {ellipsis_before}{_marked(hit.snippet, hit.snippet_highlights)}{ellipsis_after}")
    shown = first + len(results.hits)
    if not every and shown < results.total:
        click.echo(f"\nHits {first + 1}-{shown} of {results.total}: --page {results.page + 1} for more, --all for every hit.")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
