"""Deleting replaced sites and spools in the background: the build does not wait for a
slow file system, and nothing is left behind once the background deletion ends."""

import errno
import os

from helpers import eventually, run_cli

from somos_site import trash


def make_tree(root, folders: int = 50):
    for number in range(folders):
        page = root / "events" / f"e{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("<p>page</p>", encoding="utf-8")
    return root


def test_a_discarded_tree_is_gone_at_once_and_deleted_in_the_background(tmp_path):
    tree = make_tree(tmp_path / "old-site")
    bin_dir = tmp_path / ".site.trash"
    trash.discard(tree, bin_dir)
    assert not tree.exists()
    eventually(lambda: not bin_dir.exists(), what="emptying the bin")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_tree_that_cannot_be_moved_is_deleted_here(tmp_path, monkeypatch):
    tree = make_tree(tmp_path / "old-site", folders=3)

    def cross_device(source, target):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(trash.os, "rename", cross_device)
    trash.discard(tree, tmp_path / "bin")
    assert not tree.exists()


def test_a_tree_already_gone_is_no_error(tmp_path):
    trash.discard(tmp_path / "never-made", tmp_path / "bin")
    assert not (tmp_path / "never-made").exists()


def test_rebuilds_leave_only_the_site_and_its_lock(minimal_site, tmp_path, monkeypatch):
    out, cache = tmp_path / "out", tmp_path / "cache"
    monkeypatch.setenv("SOMOS_CACHE_DIR", str(cache))
    for _ in range(2):
        (minimal_site / "pages" / "about.md").write_text(
            (minimal_site / "pages" / "about.md").read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8"
        )
        assert run_cli(["--content", str(minimal_site), "--out", str(out)]).code == 0
    eventually(lambda: not (tmp_path / ".out.trash").exists(), what="deleting the replaced site")
    eventually(lambda: not (cache / "trash").exists(), what="deleting the spool")
    made = sorted(p.name for p in tmp_path.iterdir() if p != minimal_site.parent)
    assert made == [".out.lock", "cache", "out"]
    assert not any((cache / "spool").iterdir())
    assert (out / "about" / "index.html").read_text(encoding="utf-8").count("More.") == 2
