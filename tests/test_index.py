from __future__ import annotations

import ast

import pytest

from annotate.source.snapshot import MODULES


def test_every_class_and_function_is_indexed_with_its_lines(index, snapshot):
    for module, rel in MODULES.items():
        tree = ast.parse(snapshot.path_of(rel).read_text())
        seen = 0

        def visit(node: ast.AST, prefix: str) -> None:
            nonlocal seen
            defs = [
                c
                for c in ast.iter_child_nodes(node)
                if isinstance(c, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            # The last definition of a name wins, as in Python (overload stubs come first).
            for child in {c.name: c for c in defs}.values():
                path = f"{prefix}.{child.name}"
                info = index.objects.get(path)
                assert info is not None, path
                assert info.endlineno == child.end_lineno
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                assert info.lineno == first, path
                seen += 1
                if isinstance(child, ast.ClassDef):
                    visit(child, path)

        visit(tree, module)
        assert seen > 5


@pytest.mark.parametrize(
    "spelling",
    [
        "torch.nn.modules.module.Module.to",
        "torch.nn.Module.to",
        "torch.nn.modules.Module.to",
        "Module.to",
    ],
)
def test_public_and_short_paths_reach_the_implementation_of_an_overloaded_method(index, spelling):
    info = index.get(spelling)
    assert info is not None and info.path == "torch.nn.modules.module.Module.to"
    first = index.lines[info.file][info.lineno - 1]
    assert first.strip().startswith("def to(self, *args, **kwargs)")


def test_assigned_method_resolves_to_what_it_points_at(index):
    info = index.get("torch.nn.Module.__call__")
    assert info is not None and info.path.endswith("Module._wrapped_call_impl")
    assert index.get("torch.nn.Sequential.forward").file == "torch/nn/modules/container.py"


def test_attributes_are_indexed(index):
    info = index.get("Module._version")
    assert info is not None and info.kind == "attribute"
    assert "_version" in index.lines[info.file][info.lineno - 1]


def test_unknown_paths_get_candidates(index):
    assert index.get("Module.too") is None
    assert index.candidates("torch.nn.Module.too")[0] == "Module.to"
    assert "Module.state_dict" in index.candidates("Module.statedict")
