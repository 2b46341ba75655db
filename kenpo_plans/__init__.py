"""kenpo-plans: versioned annual business plans of 協会けんぽ branches, and their 新旧対照表.

Public API (imported lazily so the command line starts fast)::

    from kenpo_plans import load_plan, diff_plans, inline_diff, parse_target
"""

__version__ = "0.1.0"

_EXPORTS = {
    "load_plan": ("kenpo_plans.plan.loader", "load_plan"),
    "diff_plans": ("kenpo_plans.diff.plans", "diff_plans"),
    "inline_diff": ("kenpo_plans.diff.textdiff", "inline_diff"),
    "parse_target": ("kenpo_plans.plan.targets", "parse_target"),
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name):
    if name in _EXPORTS:
        import importlib

        module, attr = _EXPORTS[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'kenpo_plans' has no attribute {name!r}")
