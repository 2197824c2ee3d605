"""Compiled templates kept on disk are loaded only when signed with the key outside the project."""

from __future__ import annotations

import os

import jinja2

from annotate.site.template_cache import SignedBytecodeCache

PAGE = "a page: {{ 6 * 7 }}"


def _env(folder, key, templates):
    return jinja2.Environment(
        loader=jinja2.DictLoader(templates), bytecode_cache=SignedBytecodeCache(folder, key=key)
    )


def _bucket(env, name):
    source, filename, _ = env.loader.get_source(env, name)
    return env.bytecode_cache.get_bucket(env, name, filename, source)


def test_a_compiled_template_is_reused_by_the_next_build(tmp_path):
    key = tmp_path / "key"
    first = _env(tmp_path / "cache", key, {"page.html": PAGE})
    assert _bucket(first, "page.html").code is None
    assert first.get_template("page.html").render() == "a page: 42"
    again = _env(tmp_path / "cache", key, {"page.html": PAGE})
    assert _bucket(again, "page.html").code is not None
    assert again.get_template("page.html").render() == "a page: 42"


def _forged(tmp_path, folder, key):
    """A cache file for `page.html` with PAGE's checksum (as Jinja checks) but the code of
    another template, signed with the key at `key`."""
    other = _env(tmp_path / "other", key, {"page.html": "FORGED"})
    code = other.compile(other.loader.get_source(other, "page.html")[0], "page.html")
    writer = _env(folder, key, {"page.html": PAGE})
    bucket = _bucket(writer, "page.html")
    bucket.code = code
    writer.bytecode_cache.dump_bytecode(bucket)
    (written,) = folder.iterdir()
    return written


def test_code_slipped_into_the_cache_is_compiled_again_not_run(tmp_path):
    folder = tmp_path / "cache"
    # Signed with the build's own key, such a file is run: the signature is all that stands
    # between a file in the project's cache folder and the build.
    _forged(tmp_path, folder, tmp_path / "key")
    assert (
        _env(folder, tmp_path / "key", {"page.html": PAGE}).get_template("page.html").render()
        == "FORGED"
    )
    # Signed with any other key (whoever wrote into the folder), it is compiled again instead.
    for path in folder.iterdir():
        path.unlink()
    forged = _forged(tmp_path, folder, tmp_path / "their-key")
    victim = _env(folder, tmp_path / "key", {"page.html": PAGE})
    assert _bucket(victim, "page.html").code is None
    assert victim.get_template("page.html").render() == "a page: 42"
    # Unsigned (Jinja's own format) and damaged files are compiled again too.
    for data in (forged.read_bytes()[32:], b"", b"\0" * 40):
        forged.write_bytes(data)
        fresh = _env(folder, tmp_path / "key", {"page.html": PAGE})
        assert _bucket(fresh, "page.html").code is None
        assert fresh.get_template("page.html").render() == "a page: 42"


def test_a_changed_template_is_compiled_from_its_new_source(tmp_path):
    key = tmp_path / "key"
    _env(tmp_path / "cache", key, {"page.html": PAGE}).get_template("page.html")
    changed = _env(tmp_path / "cache", key, {"page.html": "now {{ 1 + 1 }}"})
    assert changed.get_template("page.html").render() == "now 2"


def test_what_is_no_regular_file_in_the_cache_is_passed_over_not_waited_on(tmp_path):
    key = tmp_path / "key"
    folder = tmp_path / "cache"
    _env(folder, key, {"page.html": PAGE}).get_template("page.html")
    (written,) = folder.iterdir()
    signed = written.read_bytes()
    # A pipe would block a read for ever; a link may point anywhere.
    written.unlink()
    os.mkfifo(written)
    env = _env(folder, key, {"page.html": PAGE})
    assert _bucket(env, "page.html").code is None
    written.unlink()
    (tmp_path / "elsewhere").write_bytes(signed)
    written.symlink_to(tmp_path / "elsewhere")
    assert _bucket(_env(folder, key, {"page.html": PAGE}), "page.html").code is None


def test_a_cache_folder_that_cannot_be_written_leaves_the_build_to_compile(tmp_path):
    (tmp_path / "cache").write_text("not a folder", encoding="utf-8")
    env = _env(tmp_path / "cache", tmp_path / "key", {"page.html": PAGE})
    assert env.get_template("page.html").render() == "a page: 42"
