"""CLI: the corpus commands (docs, outline, show) through click's runner."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from searcher.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_docs_lists_the_catalog(runner, tiny_corpus_dir):
    result = runner.invoke(main, ["docs", "--corpus", str(tiny_corpus_dir), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["id"], r["source"], r["script"], r["provisions"]) for r in rows] == [
        ("sample-plan", "001_plan.txt", "hans", 10), ("sample-agreement", "002_agreement.txt", "hant", 3)]


def test_outline_prints_the_tree(runner, tiny_corpus_dir):
    result = runner.invoke(main, ["outline", "sample-agreement", "--corpus", str(tiny_corpus_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["一、 總則  [1]", "  （一） 合作宗旨  [1.1]", "  （二） 合作原則  [1.2]"]


def test_outline_of_unknown_document_says_which_exist(runner, tiny_corpus_dir):
    result = runner.invoke(main, ["outline", "nope", "--corpus", str(tiny_corpus_dir)])
    assert result.exit_code == 1
    assert "No document 'nope'. Known documents: sample-plan, sample-agreement." in result.output


def test_show_prints_path_text_and_units(runner, tiny_corpus_dir):
    result = runner.invoke(main, ["show", "sample-plan/1.1.1.1", "--corpus", str(tiny_corpus_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "示例规划 › 第一章 总体要求 › 第一节 基本原则 › 一、 重点任务",
        "[sample-plan/1.1.1.1] 1.",
        "建设国际科技创新中心。推进广深港澳科技创新走廊建设。(省科技厅,省发展改革委、省教育厅)",
        "lead: 省科技厅; participating: 省发展改革委、省教育厅",
    ]


def test_show_unknown_provision_is_a_clear_error(runner, tiny_corpus_dir):
    result = runner.invoke(main, ["show", "sample-plan/9.9", "--corpus", str(tiny_corpus_dir)])
    assert result.exit_code == 1
    assert "No provision 'sample-plan/9.9'" in result.output and "searcher outline DOC" in result.output


def test_bad_corpus_is_a_message_not_a_traceback(runner, tiny_corpus_dir):
    (tiny_corpus_dir / "002_agreement.txt").write_bytes("合作協議".encode("big5"))
    result = runner.invoke(main, ["docs", "--corpus", str(tiny_corpus_dir)])
    assert result.exit_code == 1
    assert "002_agreement.txt is not UTF-8" in result.output
    assert "Traceback" not in result.output
