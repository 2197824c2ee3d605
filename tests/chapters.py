"""The guide's chapters: which page embeds which object, by the identifier written after `:::`."""

from __future__ import annotations

from collections.abc import Callable

CHAPTERS: dict[str, tuple[str, ...]] = {
    "chapters/saving-and-loading": (
        "torch.nn.Module.train",
        "torch.nn.Module.eval",
        "torch.nn.modules.module._IncompatibleKeys.__repr__",
    ),
    "chapters/to-and-apply": (
        "torch.nn.Module.to",
        "torch.nn.Module._apply",
        "torch.nn.Module.to_empty",
    ),
    "chapters/attributes": (
        "torch.nn.Module.__init__",
        "torch.nn.Module.__getattr__",
        "torch.nn.Module.__setattr__",
        "torch.nn.Module.__delattr__",
        "torch.nn.Module.register_buffer",
        "torch.nn.Module.register_parameter",
        "torch.nn.Module.add_module",
        "torch.nn.Module.register_module",
    ),
    "chapters/state-dict": (
        "torch.nn.Module.state_dict",
        "torch.nn.Module._save_to_state_dict",
        "torch.nn.Module.load_state_dict",
        "torch.nn.Module._load_from_state_dict",
        "torch.nn.Module.register_state_dict_pre_hook",
        "torch.nn.Module.register_state_dict_post_hook",
        "torch.nn.Module.register_load_state_dict_pre_hook",
        "torch.nn.Module.register_load_state_dict_post_hook",
    ),
    "chapters/named-members": (
        "torch.nn.Module._named_members",
        "torch.nn.Module.parameters",
        "torch.nn.Module.named_parameters",
        "torch.nn.Module.buffers",
        "torch.nn.Module.named_buffers",
        "torch.nn.Module.children",
        "torch.nn.Module.named_children",
        "torch.nn.Module.modules",
        "torch.nn.Module.named_modules",
    ),
    "chapters/calling": (
        "torch.nn.Module._wrapped_call_impl",
        "torch.nn.Module._call_impl",
        "torch.nn.Module._slow_forward",
        "torch.nn.modules.module._forward_unimplemented",
        "torch.nn.Module.register_forward_pre_hook",
        "torch.nn.Module.register_forward_hook",
        "torch.nn.modules.module.register_module_forward_pre_hook",
        "torch.nn.modules.module.register_module_forward_hook",
        "torch.nn.modules.module._has_any_global_hook",
        "torch.nn.Module.register_full_backward_pre_hook",
        "torch.nn.Module.register_full_backward_hook",
        "torch.nn.modules.module.register_module_full_backward_pre_hook",
        "torch.nn.modules.module.register_module_full_backward_hook",
        "torch.nn.Module.register_backward_hook",
        "torch.nn.modules.module.register_module_backward_hook",
        "torch.nn.Module._get_backward_hooks",
        "torch.nn.Module._get_backward_pre_hooks",
        "torch.nn.Module._maybe_warn_non_full_backward_hook",
        "torch.nn.modules.module._WrappedHook",
        "torch.nn.Module.compile",
    ),
    "chapters/containers": (
        "torch.nn.Sequential",
        "torch.nn.Sequential.__init__",
        "torch.nn.Sequential._get_item_by_idx",
        "torch.nn.Sequential.__getitem__",
        "torch.nn.Sequential.__delitem__",
        "torch.nn.Sequential.forward",
        "torch.nn.Sequential.append",
        "torch.nn.ModuleList",
        "torch.nn.ModuleList.__getitem__",
        "torch.nn.ModuleList.extend",
        "torch.nn.ModuleDict",
        "torch.nn.ModuleDict.__setitem__",
        "torch.nn.ModuleDict.update",
        "torch.nn.ParameterList",
        "torch.nn.ParameterList.__setitem__",
        "torch.nn.ParameterList.append",
        "torch.nn.ParameterDict",
        "torch.nn.ParameterDict.__setitem__",
        "torch.nn.ParameterDict.update",
    ),
}
"""Chapter pages in reading order, each with the objects it renders, in page order."""

REQUIRED_NOTES = (
    "Module.to",
    "Module._apply",
    "Module.to_empty",
    "Module.__getattr__",
    "Module.__setattr__",
    "Module.register_parameter",
    "Module.register_buffer",
    "Module.register_module",
    "Module.add_module",
    "Module.state_dict",
    "Module._save_to_state_dict",
    "Module.load_state_dict",
    "Module._load_from_state_dict",
    "Module._named_members",
    "Module.parameters",
    "Module.named_parameters",
    "Module.buffers",
    "Module.named_buffers",
    "Module.children",
    "Module.named_children",
    "Module.modules",
    "Module.named_modules",
    "Module._wrapped_call_impl",
    "Module._call_impl",
    "Module.register_forward_pre_hook",
    "Module.register_forward_hook",
    "Module.register_full_backward_pre_hook",
    "Module.register_full_backward_hook",
    "Module.compile",
    "Sequential",
    "ModuleList",
    "ModuleDict",
    "ParameterList",
    "ParameterDict",
)
"""Objects the guide must explain, each with a note and one embed on a chapter page."""


def page_of(path: str, /, *, canonical: Callable[[str], str | None]) -> tuple[str, str] | None:
    """The chapter page and embed identifier of the object at canonical `path`, if embedded."""
    for page, identifiers in CHAPTERS.items():
        for identifier in identifiers:
            if canonical(identifier) == path:
                return page, identifier
    return None
