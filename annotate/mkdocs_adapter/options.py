"""The options of the `annotate` plugin in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config

from annotate.drift.lock import LOCK_NAME
from annotate.examples.limits import Limits


class AnnotateConfig(Config):
    """Options of the `annotate` plugin."""

    notes_dir = opt.Type(str, default="notes")
    """Folder of note files, relative to `docs_dir`; it is not rendered as pages of its own."""
    cache_dir = opt.Type(str, default=".cache/annotate")
    """Where the snapshot and build data live, relative to `mkdocs.yml`."""
    file_pages = opt.Type(bool, default=True)
    """Add a whole annotated page for each source file under `files/`."""
    torch_root = opt.Optional(opt.Type(str))
    """Read torch from this tree (a source checkout or unpacked wheel) instead of the installed one."""
    lock_file = opt.Type(str, default=LOCK_NAME)
    """What each note was written for, relative to `notes_dir`; written by `annotate refresh`."""
    maintenance_page = opt.Type(str, default="maintenance.md")
    """Where to generate the page listing every note that is not fresh; `""` for none."""
    example_timeout = opt.Type((int, float), default=60)
    """Seconds an executed example may run; one that runs longer is stopped and fails the build."""
    coverage_page = opt.Type(bool, default=True)
    """Add a map of which classes and functions have notes, as `coverage.md`."""
    example_memory_mb = opt.Type(int, default=4096)
    """Address space the example worker may use, torch included; past it allocations fail."""
    example_output_mb = opt.Type((int, float), default=1)
    """What one example may print; more fails the build."""
    orphans = opt.Choice(("fail", "list"), default="fail")
    """`fail`: an orphaned note fails the build. `list`: it is left out, and listed on every
    page's banner and on the maintenance page, to preview an upgrade in one pass
    (`ANNOTATE_ORPHANS=list mkdocs serve` with this repository's `mkdocs.yml`) or build the
    guide of an older torch; a function a chapter embeds that this torch lacks is shown absent."""
    example_sandbox = opt.Choice(("auto", "required", "off"), default="auto")
    """Run examples in bubblewrap (read-only files but their own folder, their own processes):
    `auto` where it works, `required` fails the build where it does not."""

    @property
    def limits(self) -> Limits:
        """What an example may use, from the `example_*` options."""
        return Limits(
            memory_mb=self.example_memory_mb,
            output_mb=self.example_output_mb,
            sandbox=self.example_sandbox,
        )
