"""The package's public API: `annotate` exports each public name once, from where it is defined."""

from __future__ import annotations

import importlib
import pkgutil

import annotate


def modules():
    """Every module of the package, by dotted name."""
    return {
        info.name: importlib.import_module(info.name)
        for info in pkgutil.walk_packages(annotate.__path__, prefix="annotate.")
        if not info.name.endswith("__main__")
    }


def test_every_exported_name_is_listed_once_and_sorted():
    assert len(annotate.__all__) == len(set(annotate.__all__))
    assert annotate.__all__ == sorted(annotate.__all__)
    assert all(hasattr(annotate, name) for name in annotate.__all__)


def test_every_exported_name_is_defined_in_exactly_one_module_of_the_package():
    found = modules()
    for name in annotate.__all__:
        obj = getattr(annotate, name)
        home = obj.__module__
        assert home in found and home != "annotate", f"{name} is not defined in the package"
        # Exported once: no other module lists it among its exports.
        others = [
            module_name
            for module_name, module in found.items()
            if module_name != "annotate" and name in getattr(module, "__all__", ())
        ]
        assert others == [], f"{name} is also exported by {others}"


def test_the_names_a_reader_of_the_pipeline_needs_are_public():
    # The one-way pipeline of the package docstring, each stage importable from the top.
    for name in ("take_snapshot", "build_index", "read_notes", "locate_notes", "attach_notes"):
        assert name in annotate.__all__
        assert f"`{name}`" in (annotate.__doc__ or "")
