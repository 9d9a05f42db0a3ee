"""Command line: thin click wrappers over the library (corpus, index, search, links, web)."""
from __future__ import annotations

import json
import sys

import click

from . import config
from .corpus import Corpus, load_corpus
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
        click.echo(f"note: {warning}", err=True)


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
