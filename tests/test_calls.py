"""Name resolution and who-calls-whom, checked against the test's own reading of the `ast`."""

from __future__ import annotations

import ast

import pytest

from annotate.site.file_page import render_file
from annotate.site.links import docs_url
from annotate.source.index import build_index
from annotate.source.resolve import build_call_graph
from annotate.source.snapshot import take_snapshot
from tests.conftest import make_torch_tree
from tests.htmltree import parse

MODULE = "torch.nn.modules.module"
CONTAINER = "torch.nn.modules.container"


@pytest.fixture(scope="module")
def graph(index):
    return build_call_graph(index)


def references_in(graph, file, start, end):
    """References on lines `start`..`end` of `file`, in reading order."""
    found = [r for (line, _), r in graph.references.get(file, {}).items() if start <= line <= end]
    return sorted(found, key=lambda r: (r.line, r.col))


def class_methods(index, relpath, cls):
    """Method names of `cls`, read with the test's own `ast` walk."""
    tree = ast.parse("\n".join(index.lines[relpath]))
    (node,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls]
    return node, {n.name for n in node.body if isinstance(n, ast.FunctionDef)}


def own_self_calls(index, relpath, cls, name, bases=()):
    """`self.<m>(...)` calls in `cls.name`, resolved on `cls` then `bases` (test's own reading)."""
    node, methods = class_methods(index, relpath, cls)
    lookup = [(cls, relpath, methods)] + [(b, r, class_methods(index, r, b)[1]) for b, r in bases]
    funcs = [n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == name]
    func = funcs[-1]  # the implementation comes after its overloads
    found = []
    for call in ast.walk(func):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "self"
        ):
            for owner, rel, names in lookup:
                if call.func.attr in names:
                    module = MODULE if rel.endswith("module.py") else CONTAINER
                    found.append((call.func.end_lineno, f"{module}.{owner}.{call.func.attr}"))
                    break
    return found


MOD = "torch/nn/modules/module.py"
CON = "torch/nn/modules/container.py"


@pytest.mark.parametrize(
    ("caller", "callee"),
    [
        ("parameters", "named_parameters"),
        ("named_parameters", "_named_members"),
        ("state_dict", "_save_to_state_dict"),
    ],
)
def test_the_chain_matches_the_tests_own_reading(graph, index, caller, callee):
    own = own_self_calls(index, MOD, "Module", caller)
    assert f"{MODULE}.Module.{callee}" in {target for _, target in own}
    assert set(graph.calls[f"{MODULE}.Module.{caller}"]) == {target for _, target in own}
    assert f"{MODULE}.Module.{caller}" in graph.called_by[f"{MODULE}.Module.{callee}"]


def test_every_self_call_of_every_method_is_found(graph, index):
    for relpath, module, classes in (
        (MOD, MODULE, ["Module"]),
        (
            CON,
            CONTAINER,
            ["Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"],
        ),
    ):
        for cls in classes:
            bases = [] if cls == "Module" else [("Module", MOD)]
            _, methods = class_methods(index, relpath, cls)
            for name in methods:
                path = index.canonical(f"{module}.{cls}.{name}")
                own = {t for _, t in own_self_calls(index, relpath, cls, name, bases)}
                got = {index.canonical(t) for t in graph.calls[path]}
                assert {index.canonical(t) for t in own} <= got, path


def test_every_function_has_calls_and_callers(graph, index):
    functions = {f.path for f in index.functions()}
    assert set(graph.calls) == functions
    assert functions <= set(graph.called_by)
    pairs = {(a, b) for a, callees in graph.calls.items() for b in callees}
    assert pairs == {(a, b) for b, callers in graph.called_by.items() for a in callers}
    assert all(index.objects[b].kind == "function" for _, b in pairs)


def test_container_names_resolve_across_files(graph, index):
    refs = graph.references[CON]
    module_refs = [r for r in refs.values() if r.name == "Module"]
    assert module_refs and all(r.target == f"{MODULE}.Module" for r in module_refs)
    init = index.get("Sequential.__init__")
    inside = references_in(graph, CON, init.lineno, init.endlineno)
    assert any(r.name == "__init__" and r.target == f"{MODULE}.Module.__init__" for r in inside)
    assert any(r.name == "add_module" and r.target == f"{MODULE}.Module.add_module" for r in inside)


def test_attributes_link_and_unknown_objects_stay_plain(graph, index):
    apply = index.get("Module._apply")
    refs = references_in(graph, MOD, apply.lineno, apply.endlineno)
    assert any(r.name == "_parameters" and r.target == f"{MODULE}.Module._parameters" for r in refs)
    lines = index.lines[MOD]
    # `module._apply(fn)`: `module` is a child of unknown type, so its `_apply` is not linked.
    for n in range(apply.lineno, apply.endlineno + 1):
        if "module._apply(" in lines[n - 1]:
            col = lines[n - 1].index("module._apply(") + len("module.")
            assert (n, col) not in graph.references[MOD]
            break
    else:
        raise AssertionError("no `module._apply(` line in Module._apply")


PROBE = """

def _probe_shadowed(_addindent, s):
    return _addindent(s, 2)


def _probe_global(child, s):
    child._apply(None)
    return _addindent(s, 2)


class _ProbeChild(Module):
    def helper(self):
        return self._apply(None), self.nowhere(), super().state_dict()

    def rebinds(self):
        self = object()
        return self.helper()
"""


def test_resolution_is_honest_on_shadowing_unknown_and_rebound_names(tmp_path, installed_torch):
    tree = make_torch_tree(
        tmp_path / "tree",
        installed_torch,
        edit=lambda rel, text: text + PROBE if rel.endswith("module.py") else text,
    )
    snapshot = take_snapshot(tmp_path / "snap", torch_root=tree)
    index = build_index(snapshot)
    graph = build_call_graph(index)
    refs = graph.references[MOD]
    lines = index.lines[MOD]

    def targets_on(needle):
        (n,) = [i for i, text in enumerate(lines, 1) if needle in text]
        return {r.name: r.target for (line, _), r in refs.items() if line == n}

    shadowed = index.get("_probe_shadowed")
    assert references_in(graph, MOD, shadowed.lineno, shadowed.endlineno) == []
    assert graph.calls[f"{MODULE}._probe_global"] == (f"{MODULE}._addindent",)
    assert targets_on("child._apply(None)") == {}
    helper = targets_on("return self._apply(None), self.nowhere()")
    assert helper == {
        "_apply": f"{MODULE}.Module._apply",
        "state_dict": f"{MODULE}.Module.state_dict",
    }
    assert targets_on("return self.helper()") == {}


def test_every_reference_becomes_a_link_on_the_whole_file_page(guide):
    for relpath, other in ((MOD, CON), (CON, MOD)):
        html = render_file(guide, relpath, markdown=lambda text: text, page_urls={other: "../x/"})
        refs = guide.calls.references[relpath]
        linked = []
        for line in parse(html).find_all("span", cls="an-line"):
            n = int(line.attrs["id"][1:])
            for link in line.find_all("a", cls="an-ref"):
                page, _, target = link.attrs["href"].partition("#")
                info = guide.index.objects[target]
                assert page == ("" if info.file == relpath else "../x/")
                assert link.all_text() == refs[(n, _column(line, link))].name
                assert refs[(n, _column(line, link))].target == target
                linked.append((n, target))
        assert len(linked) == len(refs)


def _column(line, link):
    """Column of `link` in its line: the length of the code text before it."""
    text = ""
    for node in line.iter():
        if node is link:
            return len(text)
        if node.tag == "#text":
            text += node.text
    raise AssertionError("link not in line")


def test_public_objects_link_to_the_pytorch_docs(index):
    base = "https://docs.pytorch.org/docs/stable/generated/"
    assert docs_url(index, f"{MODULE}.Module") == base + "torch.nn.Module.html"
    assert (
        docs_url(index, f"{MODULE}.Module.to") == base + "torch.nn.Module.html#torch.nn.Module.to"
    )
    assert docs_url(index, f"{CONTAINER}.Sequential.append") == (
        base + "torch.nn.Sequential.html#torch.nn.Sequential.append"
    )
    assert docs_url(index, f"{MODULE}.Module._apply") is None
    assert docs_url(index, f"{MODULE}.Module.__call__") is None
    assert docs_url(index, f"{MODULE}._addindent") is None


def test_calls_python_makes_for_a_method_count_as_calls(index):
    from annotate.source.resolve import build_call_graph

    graph = build_call_graph(index)
    container = "torch.nn.modules.container."
    module = "torch.nn.modules.module."
    # `delattr(self, key)` runs Module.__delattr__; `self[key] = module` runs __setitem__.
    assert f"{module}Module.__delattr__" in graph.calls[f"{container}Sequential.__delitem__"]
    assert f"{container}ModuleDict.__setitem__" in graph.calls[f"{container}ModuleDict.update"]
    assert f"{container}Sequential.__delitem__" in graph.calls[f"{container}Sequential.pop"]
    assert f"{container}ModuleDict.update" in graph.called_by[f"{container}ModuleDict.__setitem__"]
