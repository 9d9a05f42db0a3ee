"""Index: schema and stored fields, generations switched atomically, staleness and damage."""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

import searcher.index as index_module
from searcher.catalog import corpus_fingerprint
from searcher.cli import main
from searcher.corpus import load_corpus
from searcher.errors import SearcherError
from searcher.index import (
    CURRENT_NAME,
    INDEX_VERSION,
    build_index,
    ensure_index,
    index_problem,
    live_generation,
    open_generation,
)
from searcher.engine import backend
from searcher.engine.whoosh import read_postings
from searcher.analysis import analyse, stands_as_word
from searcher.normalize import normalize_text
from searcher.records import corpus_records
from tests.conftest import SHARD_FILES, shard_file


def _generations(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("gen-"))


@pytest.fixture
def built(tiny_corpus, tmp_path, engine_name):
    """The tiny corpus indexed by each engine in turn."""
    root = tmp_path / "index"
    info = build_index(tiny_corpus, root, engine=engine_name)
    return tiny_corpus, root, info


def test_build_command_reports_what_it_built_and_where(tiny_corpus_dir, tmp_path):
    root = tmp_path / "index"
    result = CliRunner().invoke(main, ["build", "--corpus", str(tiny_corpus_dir), "--index", str(root)])
    assert result.exit_code == 0, result.output
    generation = live_generation(root)
    assert "Indexed 13 provisions of 2 documents and 0 cross-document links in " in result.output
    assert f": {root / generation} (" in result.output
    assert (root / generation / "links.json").is_file()


def test_build_command_on_a_bad_corpus_is_a_message(tmp_path):
    result = CliRunner().invoke(main, ["build", "--corpus", str(tmp_path / "none"), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert f"No corpus folder at {tmp_path / 'none'}." in result.output
    assert "Traceback" not in result.output


def test_one_engine_document_per_record_headings_and_footnotes_included(built):
    corpus, root, info = built
    generation = open_generation(root)
    records = corpus_records(corpus)
    assert info.provisions == 13 and info.records == generation.doc_count == len(records) == 24
    assert info.documents == {"sample-plan": 10, "sample-agreement": 3}
    assert generation.ids == [r.id for r in records]
    assert generation.norms == [normalize_text(r.text) for r in records]
    assert [r.id for r in records if r.is_heading][:4] == ["sample-plan/title", "sample-plan/preface", "sample-plan/1",
                                                            "sample-plan/1.1"]


def test_one_shard_per_document_with_its_records_in_reading_order(built):
    corpus, root, info = built
    generation = open_generation(root)
    assert [s["doc"] for s in generation.meta["shards"]] == ["sample-plan", "sample-agreement"]
    assert generation.docs == ["sample-plan"] * 18 + ["sample-agreement"] * 6
    shards = [backend(generation.engine).open_shard(generation.path / s["folder"]) for s in generation.meta["shards"]]
    assert [shard.ids for shard in shards] == [generation.ids[:18], generation.ids[18:]]
    shard = shards[0]
    number = shard.ids.index("sample-plan/1.1.1.1")
    norm = "建设国际科技创新中心。推进广深港澳科技创新走廊建设。(省科技厅,省发展改革委、省教育厅)"
    analysed = analyse(norm)
    assert (shard.norms[number], shard.cuts[number]) == (norm, (analysed.starts, analysed.ends))


def test_tantivy_searches_one_index_of_the_shards_own_segment_files(tiny_corpus, tmp_path):
    generation = open_generation(build_index(tiny_corpus, tmp_path / "index", engine="tantivy").root)
    merged = generation.path / "tantivy"
    segments = sorted(p for p in (generation.path / "shards").rglob("*") if p.suffix in (".idx", ".term", ".store"))
    assert len(segments) == 6 and all(os.path.samefile(p, merged / p.name) for p in segments)
    assert [len(shard.ids) for shard in generation.shards] == [24] and generation.offsets == [0]
    assert {f"tantivy/{p.name}" for p in segments} | {"tantivy/meta.json"} <= set(generation.meta["files"])


def test_tantivy_shards_are_written_in_place_where_there_is_no_scratch_folder(tiny_corpus, tmp_path, monkeypatch):
    from searcher.engine import tantivy as tantivy_backend

    expected = open_generation(build_index(tiny_corpus, tmp_path / "index", engine="tantivy").root)
    monkeypatch.setattr(tantivy_backend, "_SCRATCH", tmp_path / "no-such-folder")
    generation = open_generation(build_index(tiny_corpus, tmp_path / "other", engine="tantivy").root)
    assert (generation.ids, generation.term_docs("湾区")) == (expected.ids, expected.term_docs("湾区")) != ([], frozenset())
    assert sorted(p.name for p in (generation.path / "shards").iterdir()) == ["sample-agreement", "sample-plan"]
    assert not [p for p in (generation.path / "shards").rglob("searcher-tantivy-*")]


def test_words_and_grams_are_indexed(built):
    _, root, _ = built
    generation = open_generation(root)
    ids = generation.ids
    assert [ids[d] for d in range(len(ids)) if generation.stands_as_word(d, "教育厅")] == ["sample-plan/1.1.1.1"]
    assert sorted(ids[d] for d in generation.term_docs("湾区")) == sorted([
        "sample-plan/preface.p1", "sample-plan/1.p1", "sample-plan/1.1.p1", "sample-plan/fn1", "sample-agreement/1.1"])


def test_whoosh_gram_postings_list_records_in_reading_order(tiny_corpus, tmp_path):
    generation = open_generation(build_index(tiny_corpus, tmp_path / "index", engine="whoosh").root)
    ids = generation.ids
    reader = generation.shards[0]._reader()
    assert [ids[d] for d in read_postings(reader, "grams", "湾区")[0]] == [
        "sample-plan/preface.p1", "sample-plan/1.p1", "sample-plan/1.1.p1", "sample-plan/fn1"]
    assert read_postings(reader, "grams", "不在") == ([], None)


def test_whoosh_shard_files_are_those_of_whooshs_own_writer(tmp_path):
    """The gram postings written whole are byte for byte what Whoosh's pool and block writer write."""
    from whoosh.index import create_in

    from searcher.engine import ShardRow
    from searcher.engine import whoosh as engine

    rng = random.Random(13)   # enough records that common grams fill several 128-posting blocks
    texts = ["".join(rng.choice("粤港澳大湾区建設發展规划纲要深圳2a ") for _ in range(rng.randint(1, 60))) for _ in range(400)]
    rows = [ShardRow(f"d/{n}", "d", a.norm, a.grams, a.words, a.starts, a.ends)
            for n, a in enumerate(map(analyse, texts))]
    engine.write_shard(tmp_path / "fast", rows)
    (tmp_path / "whoosh").mkdir()
    reference = create_in(str(tmp_path / "whoosh"), engine.make_schema())
    writer = reference.writer(codec=engine._Codec(), compound=False)
    for row in rows:
        writer.add_document(id=row.id, norm=row.norm, cuts=(row.starts, row.ends), grams=engine._SEPARATOR.join(row.grams))
    writer.commit()
    for pattern in ("*.pst", "*.trm", "*._stored.col"):
        [fast], [whoosh] = (list((tmp_path / name).glob(pattern)) for name in ("fast", "whoosh"))
        assert fast.read_bytes() == whoosh.read_bytes(), pattern


def test_read_postings_agrees_with_the_matcher_api(real_engine):
    generation = real_engine._state.generation
    reader = generation.shards[generation.meta["shards"].index(
        next(s for s in generation.meta["shards"] if s["doc"] == "zhuxi-metro"))]._reader()
    for fieldname, text in [("grams", "发展"), ("grams", "湾"), ("grams", "建设")]:
        matcher = reader.postings(fieldname, text)
        expected_ids, expected_weights = [], []
        while matcher.is_active():
            expected_ids.append(matcher.id())
            expected_weights.append(matcher.weight())
            matcher.next()
        ids, weights = read_postings(reader, fieldname, text, weights=True)
        assert (ids, list(weights)) == (expected_ids, expected_weights)
        assert len(ids) > 50 or fieldname != "grams"


def test_meta_records_fingerprint_and_version(built):
    corpus, root, info = built
    meta = json.loads((root / info.generation / "meta.json").read_text(encoding="utf-8"))
    assert meta["fingerprint"] == corpus_fingerprint(corpus.root) == info.fingerprint
    assert meta["index_version"] == INDEX_VERSION
    assert meta["provisions"] == 13
    assert (root / CURRENT_NAME).read_text(encoding="utf-8").strip() == info.generation


def test_rebuild_switches_current_and_keeps_only_the_previous_generation(built):
    corpus, root, first = built
    second = build_index(corpus, root)
    assert live_generation(root) == second.generation
    assert _generations(root) == sorted([first.generation, second.generation])
    third = build_index(corpus, root)
    assert _generations(root) == sorted([second.generation, third.generation])


def test_open_generation_keeps_answering_after_a_rebuild(built):
    corpus, root, _ = built
    old = open_generation(root)
    old_ids = old.term_docs("湾区")
    build_index(corpus, root)
    assert old.term_docs("湾区") == old_ids
    assert open_generation(root).name != old.name


def _append_to(corpus_dir: Path, name: str, text: str) -> None:
    with open(corpus_dir / name, "a", encoding="utf-8") as handle:
        handle.write(f"\n{text}\n")


def test_an_unchanged_corpus_carries_the_links_file_over_and_a_changed_one_recomputes_it(built):
    from searcher.links import LINKS_FILE, compute_links, load_links

    corpus, root, first = built
    second = build_index(corpus, root)
    carried, live = (root / info.generation / LINKS_FILE for info in (first, second))
    assert carried.stat().st_ino == live.stat().st_ino and second.links == first.links
    open_generation(root)   # its manifest holds the carried file's entry
    _append_to(corpus.root, "002_agreement.txt", "（三）合作機制。建立琶洲協調機制。")
    changed = load_corpus(corpus.root)
    third = build_index(changed, root)
    recomputed = root / third.generation / LINKS_FILE
    assert recomputed.stat().st_ino != live.stat().st_ino
    assert load_links(recomputed).links == compute_links(changed)
    open_generation(root)


def test_a_changed_plan_reindexes_only_its_own_shard(built):
    corpus, root, first = built
    assert (first.built, first.reused) == (["sample-plan", "sample-agreement"], [])
    _append_to(corpus.root, "002_agreement.txt", "（三）合作機制。建立琶洲協調機制。")
    changed = load_corpus(corpus.root)
    second = build_index(changed, root)
    assert (second.built, second.reused) == (["sample-agreement"], ["sample-plan"])
    old, new = (root / first.generation / "shards" / "sample-plan"), (root / second.generation / "shards" / "sample-plan")
    assert {p.name: p.stat().st_ino for p in old.iterdir()} == {p.name: p.stat().st_ino for p in new.iterdir()}
    # the same answers as a build from nothing
    fresh = build_index(changed, root.parent / "fresh", engine=first.engine)
    a, b = open_generation(root), open_generation(root.parent / "fresh")
    assert (a.ids, a.norms) == (b.ids, b.norms) and fresh.built == ["sample-plan", "sample-agreement"]
    for term in ["琶洲", "湾区", "合作", "港"]:
        assert a.term_docs(term) == b.term_docs(term)


def test_records_whose_text_did_not_change_are_not_analysed_again(built):
    corpus, root, _ = built
    from searcher.analysis import AnalysisCache

    cache = AnalysisCache(root / "cache")
    assert len(cache.entries) == len({r.text for r in corpus_records(corpus)})
    _append_to(corpus.root, "001_plan.txt", "新增一段关于琶洲的文字。")
    changed = load_corpus(corpus.root)
    info = build_index(changed, root)
    assert info.built == ["sample-plan"]
    after = AnalysisCache(root / "cache")
    assert len(after.entries) == len({r.text for r in corpus_records(changed)})


def test_a_damaged_shard_is_rebuilt_not_carried_over(built):
    corpus, root, first = built
    shard = root / first.generation / "shards" / "sample-agreement"
    segment = next(shard.glob(SHARD_FILES[first.engine]["postings"]))
    segment.write_bytes(segment.read_bytes()[:-1] + bytes([segment.read_bytes()[-1] ^ 1]))  # one bit, same size
    info = build_index(corpus, root)
    assert info.built == ["sample-agreement"] and info.reused == ["sample-plan"]
    assert open_generation(root).doc_count == 24


def test_build_command_builds_with_the_engine_asked_for_and_later_builds_keep_it(tiny_corpus_dir, tmp_path):
    root = tmp_path / "index"

    def build(*engine: str) -> dict:
        result = CliRunner().invoke(main, ["build", "--corpus", str(tiny_corpus_dir), "--index", str(root), *engine])
        assert result.exit_code == 0, result.output
        assert result.output.rstrip().endswith(" MB, " + (engine[-1] if engine else "tantivy") + ").")
        return open_generation(root).meta

    every = ["sample-plan", "sample-agreement"]
    first, first_generation = build("--engine", "tantivy"), live_generation(root)
    assert (first["engine"], first["built"], first["reused"]) == ("tantivy", every, [])
    again = build()   # no --engine: the live generation's engine, every unchanged shard carried over
    assert (again["engine"], again["built"], again["reused"]) == ("tantivy", [], every)
    for doc in every:
        old, new = (root / generation / "shards" / doc for generation in (first_generation, live_generation(root)))
        assert {p.name: p.stat().st_ino for p in old.iterdir()} == {p.name: p.stat().st_ino for p in new.iterdir()}
    tantivy_hits = open_generation(root).term_docs("湾区")
    switched = build("--engine", "whoosh")
    assert (switched["engine"], switched["built"], switched["reused"]) == ("whoosh", every, [])
    assert open_generation(root).term_docs("湾区") == tantivy_hits != frozenset()


def test_every_engine_file_but_its_lock_files_is_in_the_manifest_and_opening_changes_none(built):
    _, root, info = built
    generation = root / info.generation
    on_disk = {str(p.relative_to(generation)) for p in generation.rglob("*") if p.is_file()}
    locks = {name for name in on_disk if Path(name).name in index_module.ENGINE_LOCK_FILES}
    assert set(open_generation(root).meta["files"]) == on_disk - locks - {"meta.json"}
    assert {Path(name).name for name in locks} <= set(index_module.ENGINE_LOCK_FILES)
    first = open_generation(root)
    first.term_docs("湾区")
    open_generation(root)   # checks every file against the manifest again


def test_an_unknown_engine_is_refused_before_anything_is_written(built):
    corpus, root, first = built
    with pytest.raises(SearcherError) as error:
        build_index(corpus, root, engine="lucene")
    assert error.value.code == "unknown_engine" and live_generation(root) == first.generation


def test_a_build_that_dies_half_way_leaves_the_old_index_live(built, monkeypatch):
    corpus, root, first = built
    engine_backend = backend(first.engine)

    def failing(folder, rows):
        real(folder, rows[:3])         # half a shard on disk, then the disk fills up
        raise RuntimeError("disk full")

    real = engine_backend.write_shard
    monkeypatch.setattr(engine_backend, "write_shard", failing)
    _append_to(corpus.root, "001_plan.txt", "新增一段。")
    with pytest.raises(RuntimeError, match="disk full"):
        build_index(load_corpus(corpus.root), root)
    assert live_generation(root) == first.generation
    assert sorted(p.name for p in root.iterdir()) == [CURRENT_NAME, "cache", first.generation]
    assert open_generation(root).doc_count == 24


def test_leftovers_of_a_dead_build_are_removed_by_the_next_build(built):
    corpus, root, _ = built
    leftover = root / ".build-999999999-deadbeef"  # no process has this id
    leftover.mkdir()
    (leftover / "junk").write_text("x")
    build_index(corpus, root)
    assert not leftover.exists()


def test_index_problem_names_missing_changed_corpus_and_old_version(built, monkeypatch):
    corpus, root, _ = built
    assert index_problem(corpus.root, root) is None
    assert index_problem(corpus.root, root.parent / "nothing") == f"there is no index at {root.parent / 'nothing'}"
    monkeypatch.setattr(index_module, "INDEX_VERSION", INDEX_VERSION + 1)
    assert index_problem(corpus.root, root) == (
        f"the index has version {INDEX_VERSION}, this code needs version {INDEX_VERSION + 1}")
    monkeypatch.undo()
    with open(corpus.root / "001_plan.txt", "a", encoding="utf-8") as handle:
        handle.write("\n新增一段。\n")
    assert index_problem(corpus.root, root) == f"the corpus in {corpus.root} changed since the index was built"


def test_links_of_an_older_definition_make_the_index_stale(built, monkeypatch):
    import searcher.links as links_module

    corpus, root, _ = built
    assert index_problem(corpus.root, root) is None
    monkeypatch.setattr(links_module, "LINKS_FORMAT", links_module.LINKS_FORMAT + 1)
    assert index_problem(corpus.root, root) == "the cross-document links were computed by an older definition of a link"


def test_ensure_index_rebuilds_a_stale_index(built):
    corpus, root, first = built
    with open(corpus.root / "001_plan.txt", "a", encoding="utf-8") as handle:
        handle.write("\n新增一段关于琶洲的文字。\n")
    changed = load_corpus(corpus.root)
    generation = ensure_index(changed, root)
    assert generation.name != first.generation
    assert generation.meta["fingerprint"] == corpus_fingerprint(corpus.root)
    assert any("琶洲" in norm for norm in generation.norms)


def test_ensure_index_without_building_says_what_to_run(built):
    corpus, root, _ = built
    with pytest.raises(SearcherError) as error:
        ensure_index(corpus, root.parent / "empty", build_if_needed=False)
    assert (error.value.status, error.value.message, error.value.hint) == (
        503, f"The index cannot be used: there is no index at {root.parent / 'empty'}.",
        "Run `searcher build` to (re)build it.")


def _damage_current(root: Path) -> str:
    (root / CURRENT_NAME).write_text("gen-missing\n", encoding="utf-8")
    return f"The index at {root} is damaged (CURRENT names 'gen-missing', which is not an index generation)."


def _damage_meta(root: Path) -> str:
    generation = live_generation(root)
    (root / generation / "meta.json").write_text("{not json", encoding="utf-8")
    return f"The index at {root} is damaged (cannot read {generation}/meta.json: "


def _damage_segment(root: Path) -> str:
    generation = live_generation(root)
    path = shard_file(root / generation, "terms")
    path.write_bytes(b"garbage")
    return f"The index at {root} is damaged ({generation}/{path.relative_to(root / generation)} changed after the build)."


def _flip_a_posting_byte(root: Path) -> str:
    generation = live_generation(root)
    path = shard_file(root / generation, "postings")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1  # same size, one bit: the engine itself would not notice
    path.write_bytes(bytes(data))
    return f"The index at {root} is damaged ({generation}/{path.relative_to(root / generation)} changed after the build)."


@pytest.mark.parametrize("damage", [_damage_current, _damage_meta, _damage_segment, _flip_a_posting_byte])
def test_a_damaged_index_is_a_searcher_error_saying_what_to_run(built, damage):
    corpus, root, _ = built
    expected = damage(root)
    with pytest.raises(SearcherError) as error:
        ensure_index(corpus, root, build_if_needed=False)
    assert error.value.status == 500
    assert error.value.message.startswith(expected)
    assert error.value.hint == "Run `searcher build` to (re)build it."


@pytest.mark.parametrize("damage", [_damage_current, _damage_meta, _damage_segment, _flip_a_posting_byte])
def test_ensure_index_logs_and_rebuilds_a_damaged_index(built, damage, caplog):
    corpus, root, first = built
    expected = damage(root)
    with caplog.at_level("WARNING", logger="searcher.index"):
        generation = ensure_index(corpus, root)
    [message] = caplog.messages
    assert message.startswith(expected.rstrip("."))
    assert message.endswith(f"): rebuilding it from {corpus.root}.")
    assert generation.name != first.generation and generation.doc_count == 24


def test_build_repairs_a_damaged_index(built):
    corpus, root, _ = built
    _damage_current(root)
    info = build_index(corpus, root)
    assert open_generation(root).name == info.generation
    assert os.path.isdir(root / info.generation)


@pytest.mark.parametrize("word", ["南沙", "湾区", "建设", "合作", "前海", "港"])
def test_a_term_stands_as_a_word_where_jieba_cuts_it_as_one(each_real_engine, word):
    generation = each_real_engine._state.generation
    truth = set()
    for number, record in enumerate(each_real_engine._state.records):
        analysed = analyse(record.text)
        if stands_as_word(analysed.norm, word, analysed.starts, analysed.ends):
            truth.add(number)
    assert {d for d in range(generation.doc_count) if generation.stands_as_word(d, word)} == truth
    assert truth <= generation.term_docs(word)


def test_a_rebuild_after_one_plan_changed_stores_the_links_a_full_computation_finds(real_corpus_dir, tmp_path):
    import shutil

    from searcher.links import compute_links, load_links

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(real_corpus_dir, corpus_dir)
    root = tmp_path / "index"
    build_index(load_corpus(corpus_dir), root)
    agreement = next(corpus_dir.glob("004_*"))
    outline = load_corpus(corpus_dir).provision("gba-outline/2.2.p4").text
    with open(agreement, "a", encoding="utf-8") as handle:
        handle.write("\n" + outline + "\n")     # the agreement now repeats a paragraph of the Outline
    changed = load_corpus(corpus_dir)
    info = build_index(changed, root)
    assert info.reused and "framework-agreement" in info.built
    stored = load_links(root / info.generation)
    assert stored.links == compute_links(changed)
    repeated = [link for link in stored.links if link.a == "framework-agreement/" + link.a.split("/", 1)[1]
                and link.b == "gba-outline/2.2.p4"]
    assert repeated and max(link.coverage_b for link in repeated) == 1.0   # the new wording is linked
