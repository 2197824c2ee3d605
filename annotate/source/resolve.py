"""Static name resolution and who-calls-whom for the snapshotted files.

Griffe knows every object and its lines but does not read function bodies; this module walks
the `ast` of each file with Python's scoping rules to find the names that refer to objects of
the two files: `self.<name>` (a member of the enclosing class or of a base class defined here),
`super().<name>`, `Module.<name>`, module-level names and names imported from the other file.
Anything else (a local, a name bound at run time, an attribute of an object of unknown type)
is left unresolved: a link is only made where it cannot be wrong.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotate.source.snapshot import MODULES

if TYPE_CHECKING:
    from annotate.source.index import ObjectIndex


@dataclass(frozen=True, kw_only=True)
class Reference:
    """One name in the source that refers to an object of the two files."""

    file: str
    """The snapshotted file, e.g. `torch/nn/modules/module.py`."""
    line: int
    """1-based line of the name."""
    col: int
    """0-based character column where the name starts."""
    name: str
    """The name as written, e.g. `_apply`."""
    target: str
    """Canonical path of what it refers to."""


@dataclass(frozen=True, kw_only=True)
class CallGraph:
    """Resolved references of both files, and the calls between their functions."""

    references: dict[str, dict[tuple[int, int], Reference]] = field(default_factory=dict)
    """Per file, each reference by its `(line, col)`."""
    calls: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Canonical path of every function to the functions of these files it calls, in order."""
    called_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Canonical path of every function to the functions of these files that call it."""


def build_call_graph(index: ObjectIndex) -> CallGraph:
    """Resolve every name of both files and collect the calls of every indexed function."""
    graph = CallGraph()
    calls: dict[str, list[str]] = {info.path: [] for info in index.functions()}
    classes = _Classes(index)
    for module, relpath in MODULES.items():
        if relpath not in index.lines:
            continue
        tree = ast.parse("\n".join(index.lines[relpath]))
        resolver = _Resolver(index, classes, module, relpath, tree)
        resolver.run()
        graph.references[relpath] = resolver.found
        for caller, callee in resolver.calls:
            if callee not in calls[caller]:
                calls[caller].append(callee)
    called_by: dict[str, list[str]] = {path: [] for path in calls}
    for caller, callees in calls.items():
        for callee in callees:
            called_by.setdefault(callee, []).append(caller)
    graph.calls.update({path: tuple(callees) for path, callees in calls.items()})
    graph.called_by.update({path: tuple(callers) for path, callers in called_by.items()})
    return graph


class _Classes:
    """Base classes (as far as they are defined in these files) and member look-up along them."""

    def __init__(self, index: ObjectIndex) -> None:
        self.index = index
        self.bases: dict[str, list[str]] = {}

    def mro(self, cls: str) -> list[str]:
        order = [cls]
        for base in self.bases.get(cls, []):
            order.extend(c for c in self.mro(base) if c not in order)
        return order

    def member(self, cls: str, name: str, *, after_first: bool = False) -> str | None:
        """Canonical path of `name` looked up on `cls` (skipping `cls` itself for `super()`)."""
        for owner in self.mro(cls)[1 if after_first else 0 :]:
            path = f"{owner}.{name}"
            if path in self.index.objects:
                return self.index.canonical(path)
        return None


@dataclass(kw_only=True)
class _Scope:
    kind: str
    """`module`, `class` or `function`."""
    path: str
    """Dotted path of the class, or of the function as far as the index knows it."""
    bound: set[str] = field(default_factory=set)
    """Names bound in this scope (they hide module-level names)."""
    selves: dict[str, str] = field(default_factory=dict)
    """Names standing for an instance (or the class) of a class, to that class."""
    owner: str | None = None
    """Canonical path of the indexed function whose body this is, if any."""
    cls: str | None = None
    """The class a method belongs to (for `super()`)."""


class _Resolver:
    def __init__(
        self, index: ObjectIndex, classes: _Classes, module: str, relpath: str, tree: ast.Module
    ) -> None:
        self.index = index
        self.classes = classes
        self.module = module
        self.relpath = relpath
        self.tree = tree
        self.lines = index.lines[relpath]
        self.imported: dict[str, str] = {}
        self.found: dict[tuple[int, int], Reference] = {}
        self.calls: list[tuple[str, str]] = []
        self.scopes: list[_Scope] = []

    def run(self) -> None:
        self._collect_imports()
        self._collect_bases(self.tree.body, self.module)
        self.scopes = [_Scope(kind="module", path=self.module)]
        self._body(self.tree.body)

    # -- module-level facts -------------------------------------------------------------

    def _collect_imports(self) -> None:
        package = self.module.rsplit(".", 1)[0]
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.ImportFrom) or node.module is None:
                continue
            if node.level == 1:
                source = f"{package}.{node.module}"
            elif node.level == 0:
                source = node.module
            else:
                continue
            if source not in MODULES:
                continue
            for alias in node.names:
                target = self.index.canonical(f"{source}.{alias.name}")
                if target is not None:
                    self.imported[alias.asname or alias.name] = target

    def _collect_bases(self, body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                path = f"{prefix}.{node.name}"
                bases = [self._global(base.id) for base in node.bases if isinstance(base, ast.Name)]
                self.classes.bases[path] = [
                    b for b in bases if b and self.index.objects[b].kind == "class"
                ]
                self._collect_bases(node.body, path)

    def _global(self, name: str) -> str | None:
        if name in self.imported:
            return self.imported[name]
        path = f"{self.module}.{name}"
        return self.index.canonical(path) if path in self.index.objects else None

    # -- walking ---------------------------------------------------------------------

    def _body(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self._stmt(stmt)

    def _stmt(self, node: ast.stmt) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._function(node)
        elif isinstance(node, ast.ClassDef):
            self._class(node)
        else:
            self._expr_children(node)

    def _expr_children(self, node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                self._stmt(child)
            elif isinstance(child, ast.Lambda):
                self._lambda(child)
            else:
                self._expr(child)

    def _class(self, node: ast.ClassDef) -> None:
        for expr in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self._expr(expr)
        scope = self.scopes[-1]
        path = f"{scope.path}.{node.name}"
        self.scopes.append(_Scope(kind="class", path=path, bound=_bound_in(node.body)))
        self._body(node.body)
        self.scopes.pop()

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = node.args
        for expr in (
            *node.decorator_list,
            *args.defaults,
            *(d for d in args.kw_defaults if d is not None),
        ):
            self._expr(expr)
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self._expr(arg.annotation)
        if node.returns is not None:
            self._expr(node.returns)
        outer = self.scopes[-1]
        path = f"{outer.path}.{node.name}"
        owner = outer.owner
        if owner is None:
            info = self.index.objects.get(path)
            if info and info.kind == "function" and info.lineno <= node.lineno <= info.endlineno:
                owner = path
        params = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
        params += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
        bound = _bound_in(node.body) | set(params)
        selves = {k: v for k, v in outer.selves.items() if k not in bound}
        cls = outer.cls
        if outer.kind == "class":
            cls = outer.path
            decorators = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}
            positional = [*args.posonlyargs, *args.args]
            if "staticmethod" not in decorators and positional:
                first = positional[0].arg
                if first not in _bound_in(node.body):
                    selves[first] = outer.path
        self.scopes.append(
            _Scope(kind="function", path=path, bound=bound, selves=selves, owner=owner, cls=cls)
        )
        self._body(node.body)
        self.scopes.pop()

    def _lambda(self, node: ast.Lambda) -> None:
        args = node.args
        for expr in (*args.defaults, *(d for d in args.kw_defaults if d is not None)):
            self._expr(expr)
        outer = self.scopes[-1]
        params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
        params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        self.scopes.append(
            _Scope(
                kind="function",
                path=outer.path,
                bound=params,
                selves={k: v for k, v in outer.selves.items() if k not in params},
                owner=outer.owner,
                cls=outer.cls,
            )
        )
        self._expr(node.body)
        self.scopes.pop()

    def _expr(self, node: ast.AST, *, called: bool = False) -> None:
        if isinstance(node, ast.Call):
            self._implicit_call(node)
            self._expr(node.func, called=True)
            for arg in (*node.args, *(k.value for k in node.keywords)):
                self._expr(arg)
        elif isinstance(node, ast.Subscript) and self._self_class(node.value):
            dunder = _SUBSCRIPT[type(node.ctx)]
            self._implicit(self._self_class(node.value), dunder)
            self._expr_children(node)
        elif isinstance(node, ast.Name):
            target = self._name(node.id)
            defining = isinstance(node.ctx, ast.Store) and self.scopes[-1].kind != "function"
            if target is not None and not defining:
                self._record(node.lineno, node.col_offset, node.id, target, called=called)
        elif isinstance(node, ast.Attribute):
            target = self._attribute(node)
            if target is not None and node.end_lineno is not None and node.end_col_offset:
                col = node.end_col_offset - len(node.attr.encode("utf-8"))
                self._record(node.end_lineno, col, node.attr, target, called=called)
            if not _is_super_call(node.value):
                self._expr(node.value)
        elif isinstance(node, ast.Lambda):
            self._lambda(node)
        elif isinstance(node, ast.stmt):
            self._stmt(node)
        else:
            self._expr_children(node)

    def _implicit_call(self, node: ast.Call) -> None:
        """`setattr(self, ...)` and `delattr(self, ...)` run the class's own dunder methods."""
        func = node.func
        if (
            isinstance(func, ast.Name)
            and func.id in _BUILTIN_DUNDERS
            and not any(func.id in scope.bound for scope in self.scopes)
            and node.args
        ):
            cls = self._self_class(node.args[0])
            if cls is not None:
                self._implicit(cls, _BUILTIN_DUNDERS[func.id])

    def _self_class(self, node: ast.AST) -> str | None:
        """The class `node` is an instance of, when it is `self` (or what stands for it)."""
        selves = self.scopes[-1].selves
        return selves.get(node.id) if isinstance(node, ast.Name) else None

    def _implicit(self, cls: str | None, dunder: str) -> None:
        """A call made by Python itself (a dunder method): an edge, with no token to link."""
        owner = self.scopes[-1].owner
        target = self.classes.member(cls, dunder) if cls else None
        if (
            owner is not None
            and target is not None
            and self.index.objects[target].kind == "function"
        ):
            self.calls.append((owner, target))

    # -- resolution ------------------------------------------------------------------

    def _name(self, name: str) -> str | None:
        innermost = self.scopes[-1]
        for scope in reversed(self.scopes):
            if scope.kind == "class" and scope is not innermost:
                continue  # a class body is not visible from the functions inside it
            if name in scope.bound:
                if scope.kind == "class":
                    return self.index.canonical(f"{scope.path}.{name}")
                if scope.kind == "function":
                    return None
            if scope.kind == "module":
                return self._global(name)
        return None

    def _attribute(self, node: ast.Attribute) -> str | None:
        value = node.value
        scope = self.scopes[-1]
        if isinstance(value, ast.Name) and value.id in scope.selves:
            return self.classes.member(scope.selves[value.id], node.attr)
        if _is_super_call(value) and scope.cls is not None:
            return self.classes.member(scope.cls, node.attr, after_first=True)
        if isinstance(value, ast.Name):
            owner = self._name(value.id)
            if owner is not None and self.index.objects[owner].kind == "class":
                return self.classes.member(owner, node.attr)
        return None

    def _record(self, line: int, byte_col: int, name: str, target: str, *, called: bool) -> None:
        text = self.lines[line - 1]
        col = len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))
        self.found[(line, col)] = Reference(
            file=self.relpath, line=line, col=col, name=name, target=target
        )
        owner = self.scopes[-1].owner
        if called and owner is not None and self.index.objects[target].kind == "function":
            self.calls.append((owner, target))


_BUILTIN_DUNDERS = {"setattr": "__setattr__", "delattr": "__delattr__"}
_SUBSCRIPT = {ast.Load: "__getitem__", ast.Store: "__setitem__", ast.Del: "__delitem__"}


def _is_super_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "super"
        and not node.args
    )


def _bound_in(body: list[ast.stmt]) -> set[str]:
    """Names a function or class body binds, not looking into nested functions or classes."""
    bound: set[str] = set()
    declared: set[str] = set()
    todo: list[ast.AST] = list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Global | ast.Nonlocal):
            declared.update(node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            bound.add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        todo.extend(ast.iter_child_nodes(node))
    return bound - declared
